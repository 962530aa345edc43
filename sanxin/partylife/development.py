"""Member development: where a candidate stands, the next step and its earliest date, and which
time rules (sanxin.partylife.rules) are broken."""
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

from . import rules
from .models import Candidate, DevelopmentStage


@dataclass(frozen=True)
class NextStep:
    stage: str | None        # the stage the candidate can move to, None when done
    label: str
    earliest: date | None    # the earliest date the rules allow


def next_step(candidate: Candidate) -> NextStep:
    stage = candidate.stage
    if stage == DevelopmentStage.APPLICANT:
        if not candidate.talked_on:
            return NextStep(None, str(_("Talk with the applicant")),
                            candidate.applied_on)
        return NextStep(DevelopmentStage.ACTIVIST, str(_("Confirm as activist")),
                        candidate.talked_on)
    if stage == DevelopmentStage.ACTIVIST:
        return NextStep(DevelopmentStage.CANDIDATE, str(_("List as development candidate")),
                        rules.earliest_candidate_date(candidate.activist_on))
    if stage == DevelopmentStage.CANDIDATE:
        return NextStep(DevelopmentStage.PROBATIONARY, str(_("Branch general meeting votes")),
                        candidate.candidate_on)
    if stage == DevelopmentStage.PROBATIONARY:
        return NextStep(DevelopmentStage.FULL, str(_("Become a full member")),
                        rules.probation_end(candidate.admitted_on,
                                            candidate.probation_extension_months))
    return NextStep(None, str(_("Done")), None)


def rule_warnings(candidate: Candidate, today: date) -> list[str]:
    """Time rules this candidate's record breaks (shown on the list and detail)."""
    warnings = []
    if not rules.talk_in_time(candidate.applied_on, candidate.talked_on, today):
        warnings.append(str(_("No talk within a month of applying")))
    if (candidate.activist_on and candidate.candidate_on
            and candidate.candidate_on < rules.earliest_candidate_date(candidate.activist_on)):
        warnings.append(str(_("Less than a year as activist")))
    return warnings
