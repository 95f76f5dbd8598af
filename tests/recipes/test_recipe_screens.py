"""The recipe pages through the test client: a manager writes a recipe from the ingredients'
INCI data to a registered version; supervisors read but do not change it."""

from __future__ import annotations

import re

from sqlalchemy import select

from shopfloor.catalog.models import Material
from shopfloor.recipes.models import Recipe


def text(response) -> str:
    return response.get_data(as_text=True)


def version_on(client, url: str) -> str:
    return re.search(r'name="version"[^>]*value="(\d+)"', text(client.get(url))).group(1)


def test_a_manager_writes_locks_and_registers_a_recipe(signed_in, db_session, make_product):
    client = signed_in("manager")
    product = make_product(code="MYD-LAW-100")
    for code, name in (("BAZA", "Baza glicerynowa"), ("OLEJ", "Olejek lawendowy")):
        assert client.submit("/materials/new", {"code": code, "name": name, "unit": "kg",
                                                "active": "y"}).status_code == 302
    ids = {m.code: m.id for m in db_session.scalars(select(Material))}

    # Ingredients: a composition that does not make 100 % is refused next to the field.
    response = client.submit("/recipes/ingredients/new", {
        "material_id": str(ids["BAZA"]), "kind": "base",
        "composition": "Glycerin; 30\nAqua; 25\nSodium Stearate; 40"})
    assert response.status_code == 422
    assert 'id="composition-error"' in text(response) and "95 %" in text(response)
    assert "Sodium Stearate; 40" in text(response)
    assert client.submit("/recipes/ingredients/new", {
        "material_id": str(ids["BAZA"]), "kind": "base",
        "composition": "Glycerin; 30\nAqua; 25\nSodium Stearate; 45"}).status_code == 302
    assert client.submit("/recipes/ingredients/new", {
        "material_id": str(ids["OLEJ"]), "kind": "fragrance", "composition": "Parfum; 100",
        "allergens": "Linalool; 5\nLimonene; 0,4", "ifra_cat9_max_percent": "3",
        "ifra_certificate": "IFRA 51st", "supplier_max_percent": "2,5"}).status_code == 302
    page = text(client.get("/recipes/ingredients/"))
    assert "Linalool 5 %" in page and "IFRA 51st" in page

    # A recipe with its first draft.
    response = client.submit("/recipes/new", {
        "code": "r-law-100", "name": "Mydło lawendowe", "form": "solid",
        "product_id": str(product.id), "nominal_quantity": "100", "fill_mass_g": "102",
        "mould": "Forma 12 × 100 g", "durability": "24 miesiące"})
    assert response.status_code == 302
    recipe = db_session.scalar(select(Recipe))
    assert recipe.code == "R-LAW-100"
    url = response.headers["Location"]
    ingredient_ids = {i.material.code: i.id for i in
                      __import__("shopfloor.recipes.queries", fromlist=["x"]).ingredients()}

    def draft(fragrance_share: str, base_share: str):
        return client.submit(f"{url}/draft", {
            "nominal_quantity": "100", "fill_mass_g": "102", "mould": "Forma 12 × 100 g",
            "durability": "24 miesiące", "fragrance_max_percent": "",
            "item-0-ingredient": str(ingredient_ids["BAZA"]), "item-0-percent": base_share,
            "item-1-ingredient": str(ingredient_ids["OLEJ"]), "item-1-percent": fragrance_share,
            "item-2-ingredient": "", "item-2-percent": "",
            "version": version_on(client, url)}, page=url)

    # 2.6 % of fragrance is above the supplier's 2.5 %: refused, and what was typed stays.
    response = draft("2,6", "97,4")
    assert response.status_code == 422
    assert "maksimum dostawcy" in text(response)
    assert 'value="2,6"' in text(response)
    assert draft("2", "97").status_code == 302
    page = text(client.get(url))
    assert "Udziały dają razem 99 %" in page  # not yet 100 %: locking is refused
    response = client.submit(f"{url}/lock", {"version": version_on(client, url)}, page=url)
    assert response.status_code == 422
    assert draft("2", "98").status_code == 302
    page = text(client.get(url))
    # Base 98 %: sodium stearate 44.1, glycerin 29.4, aqua 24.5; parfum 2; linalool 0.1 %
    # (named), limonene 0.008 % (not).
    inci = re.search(r'<p id="inci-list">(.*?)</p>', page, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", inci) == "Sodium Stearate, Glycerin, Aqua, Parfum, Linalool"
    assert "<strong>Linalool</strong>" in inci
    assert client.submit(f"{url}/lock", {"version": version_on(client, url)},
                         page=url).status_code == 302

    # Locked: only the registration may be added; a batch cannot use it until then.
    page = text(client.get(url))
    assert "Zablokowana" in page and 'action="' + url + '/draft"' not in page
    response = client.submit(f"{url}/registration", {
        "safety_report_ref": "CPSR/2026/14", "safety_report_date": "2099-01-01",
        "cpnp_number": "3461207", "responsible_person": "Spółdzielnia Razem, Radom",
        "version": version_on(client, url)}, page=url)
    assert response.status_code == 422
    assert 'id="safety_report_date-error"' in text(response)
    response = client.submit(f"{url}/registration", {
        "safety_report_ref": "CPSR/2026/14", "safety_report_date": "2026-11-01",
        "cpnp_number": "3461207", "responsible_person": "Spółdzielnia Razem, Radom",
        "version": version_on(client, url)}, page=url)
    assert response.status_code == 302
    assert "Zarejestrowana" in text(client.get(url))

    # A new version starts as a copy of the newest; a second draft is refused.
    response = client.submit(f"/recipes/{recipe.id}/versions", {}, page=url)
    assert response.status_code == 302
    v2 = response.headers["Location"]
    assert "R-LAW-100 v2" in text(client.get(v2)) and 'value="98"' in text(client.get(v2))
    response = client.submit(f"/recipes/{recipe.id}/versions", {}, page=url,
                             follow_redirects=True)
    assert "ma już szkic" in text(response)


def test_supervisors_read_recipes_but_cannot_change_them(signed_in, make_soap_version):
    version = make_soap_version()
    client = signed_in("supervisor")
    url = f"/recipes/versions/{version.id}"
    assert client.get("/recipes/").status_code == 200
    assert client.get("/recipes/ingredients/").status_code == 200
    page = text(client.get(url))
    assert "CPSR/2026/14" in page and "Zapisz dane rejestracyjne" not in page
    assert client.get("/recipes/new").status_code == 403
    assert client.get("/recipes/ingredients/new").status_code == 403
    token_page = "/recipes/"
    for path in (f"{url}/lock", f"{url}/registration", f"{url}/draft",
                 f"/recipes/{version.recipe_id}/versions"):
        assert client.submit(path, {}, page=token_page).status_code == 403


def test_partners_see_no_recipe(make_partner, make_partner_user, sign_in_as, make_soap_version):
    version = make_soap_version()
    firm = make_partner(name="Mydlarnia")
    client = sign_in_as(make_partner_user(firm, "ola@mydlarnia.example"))
    assert client.get(f"/recipes/versions/{version.id}").status_code in (403, 404)
    assert client.get("/recipes/").status_code in (403, 404)


def test_a_soap_batch_page_shows_weights_yield_and_the_check_weighing(
        signed_in, make_batch, manager, complete_soap_record):
    from decimal import Decimal

    from shopfloor.production.services import move_batch, record_output

    batch = make_batch(releasable=True)
    move_batch(batch, "released", manager)
    move_batch(batch, "in_progress", manager)
    record_output(batch, Decimal(96), [], manager)
    complete_soap_record(batch)
    client = signed_in("supervisor")
    page = text(client.get(f"/batches/{batch.id}"))
    assert "Receptura i naważki" in page
    assert "9 996" in page.replace("\u00a0", " ")  # planned base, g
    assert "Zaliczone" in page  # ten bars of 102 g for 100 g nominal
    assert "94,1 %" in page  # 96 × 100 g ÷ 10 200 g
    assert "Sodium Stearate, Glycerin, Aqua, Parfum, Linalool" in page
    # The history names record fields as the record does, not by their keys.
    assert "Zapis partii: Temperatury" in page and "Zapis partii: check_weights" not in page
