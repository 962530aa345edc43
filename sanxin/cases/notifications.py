"""In-app notifications and e-mail (Django's mail backend) for whoever must act next."""
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from sanxin.accounts.models import RoleKind, User

from .models import Case, Notification


def department_users(department_ids: Iterable[int]) -> QuerySet[User]:
    return User.objects.filter(is_active=True, roles__kind=RoleKind.DEPARTMENT,
                               roles__department_id__in=list(department_ids)).distinct()


def district_users() -> QuerySet[User]:
    return User.objects.filter(is_active=True, roles__kind=RoleKind.DISTRICT).distinct()


def organization_users(case: Case) -> QuerySet[User]:
    """The enterprise's contacts and its serving officer (both follow the answer)."""
    from django.db.models import Q

    ids = [case.organization_id, *case.duplicates.values_list("organization_id", flat=True)]
    clause = Q(roles__kind=RoleKind.ORGANIZATION, roles__organization_id__in=ids)
    if case.officer_id:
        clause |= Q(pk=case.officer_id)
    return User.objects.filter(clause, is_active=True).distinct()


def notify(users: Iterable[User], case: Case, message: str) -> int:
    """Write one notice per user now and send the e-mails once the transaction commits."""
    users = [u for u in users]
    if not users:
        return 0
    Notification.objects.bulk_create(
        Notification(user=u, case=case, message=message[:200]) for u in users)
    subject = _("[Sanxin] Case %(number)s: %(message)s") % {"number": case.pk, "message": message}
    mails = [(subject[:150], f"{message}\n\n{case.title}", settings.DEFAULT_FROM_EMAIL, [u.email])
             for u in users if u.email]
    if mails:
        transaction.on_commit(lambda: send_mass_mail(mails, fail_silently=True))
    return len(users)
