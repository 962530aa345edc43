"""Demo step (foundation part): the demo officer serves the enterprises nearest its office.
The enterprise-service issue replaces this with 1,695 officers assigned by the optimizer."""
from sanxin.accounts.models import User
from sanxin.demo.steps import DemoContext, DemoStep
from sanxin.registry.models import Organization

from .models import Assignment, ServiceOfficer


def build(ctx: DemoContext) -> None:
    area = ctx.data["areas"]["500102006"]
    officer = ServiceOfficer.objects.create(
        user=User.objects.get(username="demo_officer"), area=area, capacity=15, industries="CF",
        latitude=area.latitude, longitude=area.longitude)
    nearest = sorted(
        Organization.objects.filter(area=area, domain="enterprise", status="operating"),
        key=lambda o: (o.latitude - area.latitude) ** 2 + (o.longitude - area.longitude) ** 2,
    )[: officer.capacity]
    Assignment.objects.bulk_create(
        Assignment(organization=o, officer=officer, reason="demo: nearest") for o in nearest)


STEP = DemoStep(order=40, name="service", build=build)
