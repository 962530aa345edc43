"""Schemathesis drives every operation of /api/openapi.json with a district token: no 5xx,
every status documented, every body matching its schema, JSON everywhere."""
import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.experimental import OPEN_API_3_1
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from .conftest import EXAMPLES, openapi_document

OPEN_API_3_1.enable()  # ninja writes OpenAPI 3.1


@pytest.fixture
def contract_schema(db):
    return schemathesis.from_dict(
        openapi_document(), app=get_wsgi_application(),
        data_generation_methods=[schemathesis.DataGenerationMethod.positive,
                                 schemathesis.DataGenerationMethod.negative])


schema = schemathesis.from_pytest_fixture("contract_schema")
CHECKS = (not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance)


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          phases=[Phase.explicit, Phase.generate],
          suppress_health_check=list(HealthCheck))
def test_every_operation_keeps_its_contract(case, district, token_for, in_process_wsgi):
    token = token_for("district", sees_personal_data=True)
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    case.validate_response(response, checks=CHECKS)
