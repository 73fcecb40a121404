import pytest
import yaml

from tests.factories import UserFactory
from tests.support.api_tokens import api_token_for


def test_agent_lists_only_own_fund(api, agent_a, fund_a, fund_b):
    api.force_authenticate(agent_a)
    response = api.get("/api/v1/funds/")
    assert response.status_code == 200
    assert [f["code"] for f in response.json()["results"]] == ["561"]
    assert response.json()["results"][0]["departments"] == ["56"]


def test_agent_of_fund_a_gets_404_on_fund_b(api, agent_a, fund_b):
    api.force_authenticate(agent_a)
    response = api.get(f"/api/v1/funds/{fund_b.code}/")
    assert response.status_code == 404
    assert "detail" in response.json()


def test_national_lists_every_fund(api, national, fund_a, fund_b):
    api.force_authenticate(national)
    assert api.get("/api/v1/funds/").json()["count"] == 2


def test_anonymous_is_refused(api, db):
    assert api.get("/api/v1/funds/").status_code in (401, 403)


def test_token_authentication(api, agent_a, fund_a):
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(agent_a)}")
    assert api.get("/api/v1/funds/").status_code == 200


def test_schema_is_valid_openapi(api, agent_a):
    from openapi_spec_validator import validate

    api.force_authenticate(agent_a)
    response = api.get("/api/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate(schema)
    assert "/api/v1/funds/" in schema["paths"]


def test_docs_page_is_served(client_as, agent_a):
    response = client_as(agent_a).get("/api/docs/")
    assert response.status_code == 200


@pytest.mark.parametrize("path", ["/api/schema/", "/api/docs/"])
def test_schema_and_docs_answer_404_to_an_account_without_a_role(client_as, db, path):
    roleless = UserFactory(username="sans-role")
    assert client_as(roleless).get(path).status_code == 404


@pytest.mark.parametrize("path", ["/api/schema/", "/api/docs/"])
def test_schema_and_docs_refuse_anonymous_requests(client, db, path):
    assert client.get(path).status_code in (401, 403)


@pytest.mark.parametrize("role", ["agent_a", "manager_a", "national", "admin_user"])
def test_schema_is_served_to_every_role(client_as, request, role):
    assert client_as(request.getfixturevalue(role)).get("/api/schema/").status_code == 200
