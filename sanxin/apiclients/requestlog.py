"""Logs every request made with an API token: wraps the API's URL views (config/api.py)."""
import functools
import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .audit import bind_token
from .services import api_request_record

logger = logging.getLogger("sanxin.api")


def logged(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        started = time.perf_counter()
        try:
            response = view(request, *args, **kwargs)
        finally:
            bind_token(None)  # the next request on this thread is not this client's
        token = getattr(request, "api_token", None)
        if token is not None:
            elapsed_ms = int((time.perf_counter() - started) * 1000)
            try:
                api_request_record(token=token, method=request.method or "",
                                   path=request.path, status_code=response.status_code,
                                   duration_ms=elapsed_ms)
            except Exception:  # the answer matters more than its log line
                logger.exception("could not log API request of client %s", token.client_id)
            logger.info("api client=%s token=%s %s %s %s %dms", token.client_id, token.prefix,
                        request.method, request.path, response.status_code, elapsed_ms)
        return response

    return wrapper
