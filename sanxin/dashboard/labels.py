"""Labels of the figure providers that the dashboard's engineer wrote inside other apps
(sanxin/party, coverage, partylife, service, cases figures.py): kept in the dashboard's catalog so that those
apps' catalogs do not gain strings their owners did not write. An app that writes its own
providers uses its own gettext as usual."""
from django.utils.translation import gettext_lazy

LABELS = {
    "Party organizations and members": gettext_lazy("Party organizations and members"),
    "Party organizations": gettext_lazy("Party organizations"),
    "Party members": gettext_lazy("Party members"),
    "Probationary members": gettext_lazy("Probationary members"),
    "Flowing members": gettext_lazy("Flowing members"),
    "Party-building instructors": gettext_lazy("Party-building instructors"),
    "Coverage of the 三有 organizations": gettext_lazy("Coverage of the 三有 organizations"),
    "三有 organizations": gettext_lazy("三有 organizations"),
    "With their own party organization (单建)": gettext_lazy("With their own party organization (单建)"),
    "In a joint party organization (联建)": gettext_lazy("In a joint party organization (联建)"),
    "Work coverage only (工作覆盖)": gettext_lazy("Work coverage only (工作覆盖)"),
    "Not covered": gettext_lazy("Not covered"),
    "Organizational coverage (组织覆盖率)": gettext_lazy("Organizational coverage (组织覆盖率)"),
    "Own-branch rate (单独组建率)": gettext_lazy("Own-branch rate (单独组建率)"),
    "Two coverages (两个覆盖率)": gettext_lazy("Two coverages (两个覆盖率)"),
    "Coverage by area": gettext_lazy("Coverage by area"),
    "单建": gettext_lazy("单建"),
    "联建": gettext_lazy("联建"),
    "工作覆盖": gettext_lazy("工作覆盖"),
    "Organizational coverage (单建+联建)": gettext_lazy("Organizational coverage (单建+联建)"),
    "Vanguard units and volunteering": gettext_lazy("Vanguard units and volunteering"),
    "Volunteer activities": gettext_lazy("Volunteer activities"),
    "Volunteer participations": gettext_lazy("Volunteer participations"),
    "People served by volunteers": gettext_lazy("People served by volunteers"),
    "Vanguard units": gettext_lazy("Vanguard units"),
    "Volunteer activities in the period": gettext_lazy("Volunteer activities in the period"),
    "Door-to-door service": gettext_lazy("Door-to-door service"),
    "Service officers": gettext_lazy("Service officers"),
    "Enterprises with a service officer": gettext_lazy("Enterprises with a service officer"),
    "Share of enterprises served": gettext_lazy("Share of enterprises served"),
    "Visits this year": gettext_lazy("Visits this year"),
    "Operating enterprises": gettext_lazy("Operating enterprises"),
    "each must have one service officer": gettext_lazy("each must have one service officer"),
    "Share of operating enterprises served": gettext_lazy("Share of operating enterprises served"),
    "Operating enterprises with a service officer": gettext_lazy("Operating enterprises with a service officer"),
    "Major projects escorted": gettext_lazy("Major projects escorted"),
    "Enterprises": gettext_lazy("Enterprises"),
    "Visits in the period": gettext_lazy("Visits in the period"),
    # sanxin/cases/figures.py
    "Demands, problems and suggestions": gettext_lazy("Demands, problems and suggestions"),
    "Cases received": gettext_lazy("Cases received"),
    "Enterprise demands": gettext_lazy("Enterprise demands"),
    "Cases answered": gettext_lazy("Cases answered"),
    "Share answered": gettext_lazy("Share answered"),
    "Cases rated": gettext_lazy("Cases rated"),
    "Rated satisfied": gettext_lazy("Rated satisfied"),
    "Satisfaction rate (满意率)": gettext_lazy("Satisfaction rate (满意率)"),
    "Solved one enterprise, one policy (一企一策)": gettext_lazy("Solved one enterprise, one policy (一企一策)"),
    "Problems collected": gettext_lazy("Problems collected"),
    "Good suggestions (好建议)": gettext_lazy("Good suggestions (好建议)"),
    "Problems and suggestions rectified": gettext_lazy("Problems and suggestions rectified"),
    "Rectification rate (整改率)": gettext_lazy("Rectification rate (整改率)"),
    "Cases by month": gettext_lazy("Cases by month"),
    "Cases by lead department": gettext_lazy("Cases by lead department"),
    # sanxin/pairings/figures.py (brands by level)
    "Brands and cases, highest honour national": gettext_lazy("Brands and cases, highest honour national"),
    "Brands and cases, highest honour municipal": gettext_lazy("Brands and cases, highest honour municipal"),
    "Brands and cases, highest honour district": gettext_lazy("Brands and cases, highest honour district"),
}


def label(msgid: str) -> str:
    return str(LABELS[msgid])
