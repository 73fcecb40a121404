from django.urls import reverse


def test_agent_navigation_and_home(client_as, agent_a, fund_a):
    content = client_as(agent_a).get(reverse("home")).content.decode()
    for url in (reverse("check-list"), reverse("case-queue"), reverse("alert-list"), reverse("check-new"),
                reverse("dashboard-fund", args=["561"])):
        assert f'href="{url}"' in content
    assert reverse("signal-load") not in content and reverse("dashboard-national") not in content


def test_national_navigation_and_home(client_as, national, fund_a):
    content = client_as(national).get(reverse("home")).content.decode()
    for url in (reverse("signal-load"), reverse("dashboard-national"), reverse("case-queue"), reverse("alert-list")):
        assert f'href="{url}"' in content
    assert reverse("check-new") not in content


def test_national_gets_404_on_the_check_form(client_as, national):
    assert client_as(national).get(reverse("check-new")).status_code == 404


def test_admin_lists_casework_read_only(client_as, admin_user, agent_a, fund_a):
    from tests.casework.factories import open_case

    case = open_case(fund=fund_a, actor=agent_a)
    client = client_as(admin_user)
    assert client.get("/admin/casework/case/").status_code == 200
    assert client.get(f"/admin/casework/case/{case.pk}/change/").status_code == 200
    assert client.get("/admin/casework/case/add/").status_code == 403
