"""Export a member's data for the member, or erase it on request (sanxin/party/privacy.py).

    python manage.py member_data export MEMBER_ID --actor USERNAME [--output FILE]
    python manage.py member_data erase MEMBER_ID --actor USERNAME --reason "request 2026-17"

The actor must be a district user: both are recorded in the audit trail under that name.
"""
import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

from sanxin.accounts.models import User
from sanxin.party import privacy
from sanxin.party.models import Member


class Command(BaseCommand):
    help = "Export a party member's data for the member, or erase it on request."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "erase"])
        parser.add_argument("member_id", type=int)
        parser.add_argument("--actor", required=True, help="username of a district user")
        parser.add_argument("--output", help="file for the export (default: standard output)")
        parser.add_argument("--reason", default="", help="the request and its reference (erase)")

    def handle(self, *args, action: str, member_id: int, actor: str, output: str | None,
               reason: str, **options) -> None:
        try:
            user = User.objects.get(username=actor, is_active=True)
            member = Member.objects.get(pk=member_id)
        except (User.DoesNotExist, Member.DoesNotExist) as exc:
            raise CommandError(str(exc)) from exc
        try:
            if action == "export":
                text = json.dumps(privacy.member_data(actor=user, member=member),
                                  ensure_ascii=False, indent=2, cls=DjangoJSONEncoder)
                if output:
                    with open(output, "w", encoding="utf-8") as handle:
                        handle.write(text)
                else:
                    self.stdout.write(text)
                return
            privacy.member_erase(actor=user, member=member, reason=reason)
        except PermissionDenied as exc:
            raise CommandError(f"{actor} is not a district user") from exc
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"member {member_id}: personal data erased")
