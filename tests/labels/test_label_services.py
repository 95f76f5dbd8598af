"""Label data from records, SSCC allocation, the download routes and the CLI; every printed
symbol is decoded again with zxing-cpp."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
import zxingcpp
from PIL import Image

from shopfloor.codes import format_code
from shopfloor.errors import DomainError
from shopfloor.labels.gs1 import is_valid_sscc
from shopfloor.labels.services import allocate_sscc, batch_card, labels_for
from tests.labels.pallet_fixtures import done_batch, gs1  # noqa: F401


def decode_png(data: bytes) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(data)))]


def test_a_batch_card_carries_the_grouped_code_and_the_scan_link(app, make_order, make_batch):
    order = make_order(quantity="250")
    batch = make_batch(order_line=order.lines[0], quantity="250")
    with app.test_request_context():
        card = batch_card(batch)
    assert card.code == format_code(batch.code)
    assert card.url == f"http://127.0.0.1:5000/s/{batch.code}"
    assert card.partner == order.partner.name and "250" in card.quantity


def test_soap_unit_labels_print_only_after_release_with_the_versions_facts(
        app, make_batch, make_soap_version, manager):
    from shopfloor.production.services import move_batch
    from shopfloor.recipes.services import register_version
    from tests.conftest import TODAY

    batch = make_batch(releasable=True)
    with app.test_request_context():
        with pytest.raises(DomainError, match="nie jest zwolniona"):
            labels_for("unit", [batch.code])
        move_batch(batch, "released", manager)
        [label] = labels_for("unit", [batch.code])
    # Nothing typed: nominal content, durability, INCI list and person from the version.
    assert label.nominal == "100 g" and label.durability == "24 miesiące"
    # Base 98 % of which sodium stearate 45 % = 44.1, glycerin 29.4, aqua 24.5; parfum 2;
    # linalool 2 % x 5 % = 0.1 (above 0.01 %, named).
    assert label.ingredients == "Sodium Stearate, Glycerin, Aqua, Parfum, Linalool"
    assert label.responsible_person.startswith("Spółdzielnia Razem")
    assert label.batch_code == format_code(batch.code)

    other = make_batch(releasable=True)
    version_id = int(other.record["recipe_version_id"])
    from shopfloor.extensions import db
    from shopfloor.recipes.models import RecipeVersion

    version = db.session.get(RecipeVersion, version_id)
    move_batch(other, "released", manager)
    register_version(version, version.safety_report_ref, version.safety_report_date,
                     version.cpnp_number, "", manager, TODAY)
    with app.test_request_context(), pytest.raises(DomainError, match="osobę odpowiedzialną"):
        labels_for("unit", [other.code])


def test_mistyped_and_unknown_codes_are_named(app, make_batch):
    batch = make_batch()
    typo = batch.code[:-1] + ("2" if batch.code[-1] != "2" else "3")
    with app.test_request_context(), pytest.raises(DomainError, match=typo):
        labels_for("batch", [typo])


def test_sscc_serials_are_never_reused(app):
    from shopfloor import create_app
    from tests.conftest import app_config

    app = create_app(app_config(app.config["SQLALCHEMY_DATABASE_URI"],
                                gs1={"company_prefix": "0614141", "extension_digit": 1}))
    with app.app_context():
        codes = [allocate_sscc() for _ in range(3)]
    assert all(is_valid_sscc(code) for code in codes)
    assert all(code.startswith("10614141") for code in codes)
    assert len(set(codes)) == 3
    assert [int(code[8:17]) for code in codes] == [1, 2, 3]


def test_pallet_labels_by_batch_code_are_those_of_its_pallets(app, make_batch):
    batch = make_batch()
    with app.test_request_context(), pytest.raises(DomainError, match="nie ma jeszcze palet"):
        labels_for("pallet", [batch.code])


def test_batch_card_png_and_pdf_download_scan(signed_in, make_batch):
    client = signed_in("supervisor")
    batch = make_batch()
    png = client.get(f"/labels/batch.png?codes={batch.code}")
    assert png.status_code == 200 and png.mimetype == "image/png"
    assert decode_png(png.data) == [f"http://127.0.0.1:5000/s/{batch.code}"]
    pdf = client.get(f"/labels/batch.pdf?codes={batch.code}")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    zpl = client.get(f"/labels/batch.zpl?codes={batch.code}&dpi=300").get_data(as_text=True)
    assert zpl.count("^XA") == 1 and f"/s/{batch.code}" in zpl
    preview = client.get(f"/labels/preview?kind=batch&codes={batch.code}")
    assert preview.status_code == 200 and "<svg" in preview.get_data(as_text=True)


def test_a_bad_code_on_the_download_says_which(signed_in):
    client = signed_in("supervisor")
    response = client.get("/labels/batch.pdf?codes=B2222222")
    assert response.status_code == 422
    assert "B2222222" in response.get_data(as_text=True)


def test_a_batch_without_pallets_has_no_pallet_labels_to_download(signed_in, make_batch):
    client = signed_in("supervisor")
    batch = make_batch()
    response = client.get(f"/labels/pallet.pdf?codes={batch.code}")
    assert response.status_code == 422
    assert format_code(batch.code) in response.get_data(as_text=True)


def test_the_cli_writes_labels(app, make_batch, tmp_path):
    batch = make_batch()
    out = tmp_path / "card.png"
    result = app.test_cli_runner().invoke(args=["labels", "batch", format_code(batch.code),
                                                "--format", "png", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert decode_png(out.read_bytes()) == [f"http://127.0.0.1:5000/s/{batch.code}"]
    bad = app.test_cli_runner().invoke(args=["labels", "batch", "B2222222", "--out",
                                             str(tmp_path / "x.pdf")])
    assert bad.exit_code != 0 and "B2222222" in bad.output


def test_garment_tags_and_pallet_labels_scan_from_the_sheet_defaults(
        app, gs1, make_batch, make_product, done_batch, manager):  # noqa: F811
    from shopfloor.labels.output import render
    from shopfloor.labels.pallets import build_pallet

    garments = make_batch(product=make_product(line="garments"), record={"items": [
        {"rma": "RMA-77", "sku": "KRT-01", "size": "XL", "reason": "size"}]})
    with app.test_request_context():
        tags = labels_for("garment", [garments.code])
        pdf, _ = render(tags, "pdf")
        png, _ = render(tags, "png")
    assert pdf.startswith(b"%PDF")
    assert set(decode_png(png)) == {garments.record["items"][0]["item_code"], "RMA-77"}

    _order, kits = done_batch()
    built = build_pallet(kits, Decimal(12), manager)
    with app.test_request_context():
        [pallet] = labels_for("pallet", [kits.code])
        png, _ = render([pallet], "png")
    assert pallet.sscc.startswith("1 0614141 ") and pallet.sscc_digits == built.sscc
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert results[0].content_type == zxingcpp.ContentType.GS1
    assert results[0].text == "(00)" + built.sscc


@pytest.mark.parametrize("dpi", ["20000", "-5"])
def test_an_odd_resolution_is_refused_not_rendered(signed_in, make_batch, dpi):
    client = signed_in("supervisor")
    response = client.get(f"/labels/batch.png?codes={make_batch().code}&dpi={dpi}")
    assert response.status_code == 422
    assert "150, 203, 300 lub 600 dpi" in response.get_data(as_text=True)
