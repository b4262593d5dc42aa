from vanphong.api.tests.helpers import assert_error, bearer


def test_registers_api_lists_the_callers_registers_with_their_policy(client, province, books):
    response = client.get(
        "/api/v1/registers/", {"organization": province.committee.pk}, **bearer(province.clerk.user)
    )
    assert response.status_code == 200
    body = response.json()
    by_name = {r["name"]: r for r in body["results"]}
    assert body["count"] == 5
    outgoing = by_name["Sổ văn bản đi"]
    assert (outgoing["kind"], outgoing["reset"], outgoing["per_type"], outgoing["secret_series"]) == (
        "di",
        "term",
        True,
        False,
    )
    assert (
        outgoing["policy"]
        == "Đánh số theo từng loại văn bản trong nhiệm kỳ 2025 - 2030; văn bản mật chung dãy số"
    )
    assert outgoing["entry_count"] == 0


def test_registers_api_hides_other_organisations_and_classified_registers(client, province, books):
    response = client.get("/api/v1/registers/", **bearer(province.specialist.user))
    names = {(r["organization"], r["name"]) for r in response.json()["results"]}
    assert names == {
        (province.office.pk, "Sổ văn bản đến"),
        (province.office.pk, "Sổ văn bản đi"),
        (province.office.pk, "Sổ văn bản sao"),
    }


def test_registers_api_rejects_a_bad_filter(client, province, books):
    response = client.get("/api/v1/registers/", {"kind": "x"}, **bearer(province.clerk.user))
    assert_error(response, 400, "invalid")
