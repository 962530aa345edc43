"""Which models django-auditlog records, in one place (registered in AccountsConfig.ready()).

Every model of the project's apps is either registered here or in its own models.py, or listed in
NOT_AUDITED with the reason; tests/accounts/test_audit_coverage.py holds every model to that and
records one change of each audited kind.
"""
from auditlog.registry import auditlog
from django.apps import apps

# "app_label.Model": options for auditlog.register. Personal identifiers are never copied into
# the trail: the ID number is left out (its digest too), the phone masked.
AUDITED: dict[str, dict] = {
    "party.PartyOrganization": {"exclude_fields": ["updated_at"]},
    "party.Member": {"exclude_fields": ["updated_at", "id_number", "id_digest"],
                     "mask_fields": ["phone"]},
    "party.Instructor": {"exclude_fields": ["updated_at"], "mask_fields": ["phone"]},
    "party.InstructorAssignment": {},
    "coverage.CampaignTarget": {},
    "service.ServiceOfficer": {"exclude_fields": ["updated_at"]},
    "service.Assignment": {},
    "service.Visit": {"exclude_fields": ["updated_at"]},
    "service.MajorProject": {"exclude_fields": ["updated_at"]},
    "service.Milestone": {},
    "service.ProjectProblem": {},
    "partylife.StudyPlace": {"exclude_fields": ["updated_at"]},
    "partylife.Meeting": {"exclude_fields": ["updated_at"]},
    "partylife.Attendance": {},
    "partylife.StudyRecord": {"exclude_fields": ["updated_at"]},
    "partylife.VanguardUnit": {"exclude_fields": ["updated_at"]},
    "partylife.Achievement": {},
    "partylife.VolunteerActivity": {"exclude_fields": ["updated_at"]},
    "partylife.VolunteerParticipation": {},
    "partylife.Candidate": {"exclude_fields": ["updated_at"]},
    "partylife.IntakePlan": {},
    "pairings.Pairing": {"exclude_fields": ["updated_at"]},
    "pairings.PairingActivity": {},
    "pairings.PairingProblem": {},
    "pairings.Brand": {"exclude_fields": ["updated_at"]},
    "pairings.BrandPhoto": {"exclude_fields": ["updated_at"]},
    "pairings.CaseStudy": {"exclude_fields": ["updated_at"]},
    "pairings.Honour": {},
    "chains.Chain": {"exclude_fields": ["updated_at"]},
    "chains.ChainLink": {},
    "chains.ChainMember": {},
    "chains.Post": {"exclude_fields": ["updated_at"]},
    "chains.Deal": {},
    "chains.ChainProblem": {},
    "apiclients.ApiClient": {},
    "apiclients.ApiToken": {"exclude_fields": ["token_hash"]},
}

NOT_AUDITED: dict[str, str] = {
    "accounts.PersonalDataRead": "is itself the audit trail of unmasked reads",
    "cases.Case": "the case timeline (cases.CaseEvent) records every change in the same "
                  "transaction, with actor and time (DESIGN.md: domain event tables)",
    "cases.CaseHandler": "written only by case transitions, recorded in the case timeline",
    "cases.CaseEvent": "is itself the case timeline",
    "cases.ExtensionRequest": "written only by case transitions, recorded in the case timeline",
    "cases.CaseAttachment": "recorded in the case timeline (an 'attached' event)",
    "cases.Notification": "derived from case events; reading one marks it, nothing more",
    "coverage.CoverageSnapshot": "computed by the snapshot task from audited data",
    "coverage.OrganizationCoverage": "the coverage summary's copy of audited organizations",
    "coverage.CoverageCell": "the coverage summary: counts derived from audited data",
    "service.AssignmentDetail": "computed by the optimizer; applying a plan changes audited "
                                "service.Assignment rows",
    "service.AssignmentState": "computed by the optimizer",
    "service.AssignmentPlan": "a computed proposal; applying it changes audited Assignments",
    "imports.ImportJob": "is itself the record of an import (who, when, file, counts)",
    "imports.ImportIssue": "the problems found in one import file: a report, not domain data",
    "apiclients.ApiRequestLog": "is itself the log of API requests",
}


def register_audited_models() -> None:
    for name, options in AUDITED.items():
        model = apps.get_model(name)
        if not auditlog.contains(model):
            auditlog.register(model, **options)
