"""Checks shared by the edit pages' tests: an edit made from a page opened before someone else's
change is refused and loses neither change; the same edit from a fresh page is saved."""
from collections.abc import Callable

from django import forms

from sanxin.core.forms import CHANGED_MEANWHILE, ROW_VERSION


def post_data_of(form: forms.BaseForm) -> dict:
    """What a browser would post for the form as shown (its initial values)."""
    data: dict = {}
    for bound in form:
        value = bound.value()
        if isinstance(bound.field.widget, forms.CheckboxInput):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(v) for v in value]
        else:
            data[bound.html_name] = "" if value is None else str(value)
    return data


def assert_stale_edit_refused(client, url: str, *, edit: dict, change_elsewhere: Callable[[], None],
                              current: Callable[[], dict]) -> None:
    """`edit`: the fields this user changes; `change_elsewhere`: another user's save of the row
    meanwhile; `current`: the row's values as stored."""
    shown = client.get(url)
    assert shown.status_code == 200
    form = shown.context["form"]
    data = post_data_of(form) | edit
    assert data[ROW_VERSION], "the edit page carries the row's version"

    change_elsewhere()
    after_other = current()
    refused = client.post(url, data)
    assert refused.status_code in (200, 400)
    assert str(CHANGED_MEANWHILE) in refused.content.decode()
    assert current() == after_other, "the stale edit changed nothing"

    fresh = post_data_of(client.get(url).context["form"]) | edit
    saved = client.post(url, fresh)
    assert saved.status_code == 302, saved.context["form"].errors if saved.context else saved
    stored = current()
    assert all(str(stored[name]) == str(value) for name, value in edit.items() if name in stored), stored
