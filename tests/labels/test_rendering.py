"""Label rendering from plain data: every output decodes back to the data it was given.

PNGs and rasterised PDF pages are read with zxing-cpp; SVG rects are redrawn and read; ZPL
is checked for structure and content (no printer here). No application or database needed.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import pytest
import zxingcpp
from PIL import Image, ImageDraw
from pypdf import PdfReader

from shopfloor.labels import symbols
from shopfloor.labels.kinds import (
    LABEL_KINDS,
    BatchCard,
    GarmentTag,
    LabelTooSmall,
    PalletLabel,
    ProductUnitLabel,
    Symbol,
    WorkerBadge,
    layout,
)
from shopfloor.labels.sheets import PRESETS, SheetGrid, pdf_sheet
from shopfloor.labels.symbols import render_png, render_svg
from shopfloor.labels.zpl import to_zpl

SSCC = "106141411234567897"  # the GS1 General Specifications' worked example
PARTNER = "Zakład Łączeń Śląsk Sp. z o.o."
SVG_NS = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def _app_context_and_clean_tables():
    """Override the suite's per-test app and database: rendering needs neither."""
    yield


def batch_card(n: int = 0) -> BatchCard:
    return BatchCard(code=f"B-7KQ4-M{n:02d}", url=f"https://shopfloor.example.org/s/B7KQ4M{n:02d}",
                     product="Mydło lawendowe 100 g", line="Linia 2 – mydlarnia",
                     quantity="240 szt.", due="14 mar 2025", partner=PARTNER)


INCI = ("Sodium Olivate, Sodium Cocoate, Aqua, Glycerin, Lavandula Angustifolia Oil, "
        "Sodium Chloride, Linalool, Limonene, Geraniol, Coumarin, Tetrasodium Glutamate "
        "Diacetate, Citric Acid")


def unit_label(ingredients: str = INCI) -> ProductUnitLabel:
    return ProductUnitLabel(product="Mydło lawendowe 100 g", nominal="100 g ℮",
                            batch_code="B-7KQ4-M2X", durability="12M", ingredients=ingredients,
                            responsible_person="Spółdzielnia Socjalna „Łąka”, ul. Źródlana 5, "
                                               "00-950 Łódź",
                            url="https://shopfloor.example.org/s/B7KQ4M2X")


def photo() -> bytes:
    image = Image.new("RGB", (120, 150), (200, 180, 160))
    ImageDraw.Draw(image).ellipse((30, 20, 90, 90), fill=(90, 60, 40))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


SAMPLES = {
    "batch": batch_card(),
    "unit": unit_label(),
    "garment": GarmentTag(item_code="B7KQ4M2X", return_number="RMA-2024/001234",
                          sku="KOSZ-LEN-01", size="XL"),
    "pallet": PalletLabel(sscc=SSCC, sender="Spółdzielnia Socjalna „Łąka”\nul. Źródlana 5\n"
                                            "00-950 Łódź",
                          receiver=f"{PARTNER}\nul. Śląska 12\n40-001 Katowice",
                          contents="Mydło lawendowe 100 g", count="480 szt.",
                          batch="B-7KQ4-M2X"),
    "badge": WorkerBadge(first_name="Łucja", url="https://shopfloor.example.org/w/K7M2PQ4X",
                         photo_png=None),
    "badge-photo": WorkerBadge(first_name="Żaneta", url="https://shopfloor.example.org/w/Z2",
                               photo_png=photo()),
}


def expected(label) -> set[tuple[str, str]]:
    """(format, text) pairs zxing-cpp must read from a label."""
    if isinstance(label, GarmentTag):
        return {("Code128", label.item_code), ("Code128", label.return_number)}
    if isinstance(label, PalletLabel):
        return {("Code128", "(00)" + SSCC)}
    return {("QRCode", label.url)}


def read(image: Image.Image) -> list:
    return zxingcpp.read_barcodes(image)


def found(image: Image.Image) -> set[tuple[str, str]]:
    return {(r.format.name, r.text) for r in read(image)}


@pytest.mark.parametrize("dpi", [300, 203])
@pytest.mark.parametrize("name", list(SAMPLES))
def test_png_decodes_to_the_data(name, dpi):
    label = SAMPLES[name]
    image = Image.open(io.BytesIO(render_png(label, dpi=dpi)))
    width, height = label.size_mm
    assert image.size == (round(width * dpi / 25.4), round(height * dpi / 25.4))
    assert found(image) == expected(label)


@pytest.mark.parametrize("dpi", [300, 203])
def test_pallet_gs1_128_carries_ai_00_and_the_sscc(dpi):
    image = Image.open(io.BytesIO(render_png(SAMPLES["pallet"], dpi=dpi)))
    [result] = read(image)
    assert result.content_type == zxingcpp.ContentType.GS1
    assert result.symbology_identifier == "]C1"  # FNC1 in first position
    assert result.text == "(00)106141411234567897"
    assert result.bytes == b"00106141411234567897"


@pytest.mark.parametrize("dpi", [300, 203])
def test_bars_are_whole_dots_of_the_chosen_module(dpi):
    image = Image.open(io.BytesIO(render_png(SAMPLES["pallet"], dpi=dpi)))
    bars = next(i for i in layout(SAMPLES["pallet"], dpi).items if isinstance(i, Symbol))
    row = [image.getpixel((x, round((bars.y + 10) * dpi / 25.4))) < 128
           for x in range(image.width)]
    runs, x = [], row.index(True)
    while x < len(row) and len(runs) < 6:
        end = x
        while end < len(row) and row[end] == row[x]:
            end += 1
        runs.append(end - x)
        x = end
    dots = symbols.GS1_128_X_DOTS[dpi]
    # Start C is 2-1-1-2-3-2 modules (bar, space, ...): every element whole dots.
    assert runs == [2 * dots, dots, dots, 2 * dots, 3 * dots, 2 * dots]
    assert bars.module >= 0.495 and bars.h >= 31.75


def test_module_tables_give_integer_dots_and_minimum_sizes():
    for dpi in symbols.PRINTER_DPIS:
        mm = 25.4 / dpi
        assert symbols.QR_MODULE_DOTS[dpi] * mm >= 0.5
        assert symbols.CODE128_X_DOTS[dpi] * mm >= 0.25
        assert symbols.GS1_128_X_DOTS[dpi] * mm >= 0.495
        assert symbols.QR_LARGE_MODULE_DOTS[dpi] <= 10  # ^BQ magnification limit


def test_qr_matrix_has_quiet_zone_and_predicted_size():
    url = "https://shopfloor.example.org/s/B7KQ4M2X"
    matrix = symbols.qr_matrix(url)
    assert len(matrix) == len(matrix[0]) == symbols.qr_size(url)
    for ring in range(symbols.QR_QUIET_MODULES):
        assert not any(matrix[ring]) and not any(matrix[-1 - ring])
        assert not any(row[ring] or row[-1 - ring] for row in matrix)


def test_linear_codes_have_quiet_zones_and_gs1_starts_with_fnc1():
    [bars] = symbols.gs1_128_modules("00" + SSCC)
    quiet = symbols.LINEAR_QUIET_MODULES
    assert not any(bars[:quiet]) and not any(bars[-quiet:])
    pattern = "".join("1" if b else "0" for b in bars[quiet:quiet + 22])
    assert pattern == "11010011100" + "11110101110"  # Start C, then FNC1
    [bars] = symbols.code128_modules("B7KQ4M2X")
    assert not any(bars[:quiet]) and not any(bars[-quiet:])
    with pytest.raises(ValueError, match="Code 128"):
        symbols.code128_modules("Zażółć")


def test_gs1_separator_becomes_fnc1():
    matrix = symbols.gs1_128_modules("10ABC\x1d15251231")
    quiet = symbols.LINEAR_QUIET_MODULES
    pattern = "".join("1" if dark else "0" for dark in matrix[0][quiet:-quiet])
    characters = [pattern[i:i + 11] for i in range(0, len(pattern) - 13, 11)]
    assert characters.count("11110101110") == 2  # FNC1 first and as separator, not ASCII GS
    image = Image.new("L", (len(matrix[0]) * 3, 80), 255)
    symbols.draw_modules_pillow(ImageDraw.Draw(image), matrix, 0, 0, 3, 80)
    [result] = read(image)
    assert result.text == "(10)ABC(15)251231"
    assert result.content_type == zxingcpp.ContentType.GS1


def test_ean13_pattern_and_check_digit():
    [bars] = symbols.ean13_modules("5901234123457")
    assert len(bars) == 11 + 95 + 10
    with pytest.raises(ValueError, match="check digit"):
        symbols.ean13_modules("5901234123458")


def test_every_kind_is_registered_with_a_size():
    assert set(LABEL_KINDS) == {"batch", "unit", "garment", "pallet", "badge"}
    assert BatchCard.size_mm == PalletLabel.size_mm == (105.0, 148.0)
    for cls in LABEL_KINDS.values():
        assert LABEL_KINDS[cls.kind] is cls


def test_sscc_is_checked_and_grouping_kept_for_people():
    with pytest.raises(ValueError, match="SSCC"):
        PalletLabel(sscc="106141411234567890", sender="", receiver="", contents="", count="",
                    batch="")
    grouped = PalletLabel(sscc="1 0614141 123456789 7", sender="A", receiver="B", contents="C",
                          count="1", batch="D")
    texts = [line for item in layout(grouped).items for line in getattr(item, "lines", ())]
    assert "(00) 1 0614141 123456789 7" in texts
    assert found(Image.open(io.BytesIO(render_png(grouped)))) == {("Code128", "(00)" + SSCC)}


def test_long_ingredient_lists_shrink_then_refuse():
    sizes = {}
    for name, text in (("short", "Aqua, Glycerin"), ("long", INCI * 2)):
        [inci] = [i for i in layout(unit_label(text)).items
                  if getattr(i, "lines", ("",))[0].startswith("Składniki")]
        sizes[name] = inci.size
    assert sizes["long"] < sizes["short"]
    with pytest.raises(LabelTooSmall, match="does not fit"):
        layout(unit_label(INCI * 6))


# --- PDF sheets -----------------------------------------------------------------------


def pdf_pages(pdf: bytes, dpi: int = 300) -> list[Image.Image]:
    """The pages as images, rasterised by pdfium (a declared dev dependency)."""
    import pypdfium2

    return [page.render(scale=dpi / 72).to_pil() for page in pypdfium2.PdfDocument(pdf)]


def test_3x8_sheet_of_24_batch_cards_scans():
    cards = [batch_card(n) for n in range(24)]
    pdf = pdf_sheet(cards, PRESETS["3x8"], title="Karty partii")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    assert reader.metadata.title == "Karty partii"
    page = reader.pages[0]
    assert not page.images  # vectors, not embedded pictures
    assert PARTNER in page.extract_text()
    fonts = {f["/BaseFont"] for f in page["/Resources"]["/Font"].values()}
    assert any("SourceSansPro" in str(f) for f in fonts)
    [image] = pdf_pages(pdf)
    assert found(image) == {("QRCode", card.url) for card in cards}


def test_sheet_runs_over_pages_and_every_qr_scans():
    cards = [batch_card(n) for n in range(20)]
    pdf = pdf_sheet(cards, PRESETS["2x7"])
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 2
    first, second = pdf_pages(pdf)
    assert found(first) == {("QRCode", card.url) for card in cards[:14]}
    assert found(second) == {("QRCode", card.url) for card in cards[14:]}


def test_a6_sheet_holds_every_kind():
    labels = [SAMPLES[name] for name in ("batch", "pallet", "unit", "garment", "badge-photo")]
    pdf = pdf_sheet(labels, PRESETS["a6"])
    first, second = pdf_pages(pdf, dpi=200)
    wanted = set().union(*(expected(label) for label in labels))
    assert found(first) | found(second) == wanted
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages[1].images) == 1  # the badge photo


def test_small_labels_reflow_into_small_cells():
    pdf = pdf_sheet([unit_label()] * 2 + [batch_card(1)], PRESETS["3x8"])
    [image] = pdf_pages(pdf)
    assert found(image) == {("QRCode", unit_label().url), ("QRCode", batch_card(1).url)}
    [image] = pdf_pages(pdf_sheet([batch_card(n) for n in range(40)], PRESETS["4x10"]))
    assert len(found(image)) == 40
    with pytest.raises(LabelTooSmall, match="laid out anew for the cell"):
        pdf_sheet([unit_label()], PRESETS["4x10"])


def test_pallet_label_refused_on_small_stickers():
    with pytest.raises(LabelTooSmall, match="gs1_128 module"):
        pdf_sheet([SAMPLES["batch"], SAMPLES["pallet"]], PRESETS["4x10"])
    with pytest.raises(LabelTooSmall):
        pdf_sheet([SAMPLES["garment"]], PRESETS["4x10"])


def test_presets_fit_a4():
    assert (PRESETS["3x8"].label_w, PRESETS["3x8"].label_h) == (70.0, 37.0)
    assert (PRESETS["2x7"].label_w, PRESETS["2x7"].label_h) == (99.1, 38.1)
    assert (PRESETS["4x10"].label_w, PRESETS["4x10"].label_h) == (48.5, 25.4)
    with pytest.raises(ValueError, match="overflow"):
        SheetGrid(3, 8, label_w=71, label_h=37)


# --- SVG ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", list(SAMPLES))
def test_svg_is_well_formed_and_its_symbols_scan(name):
    label = SAMPLES[name]
    root = ET.fromstring(render_svg(label))  # noqa: S314  (our own output)
    assert root.tag == f"{SVG_NS}svg"
    assert root.get("width") == f"{label.size_mm[0]:g}mm"
    groups = [g for g in root.iter(f"{SVG_NS}g") if g.get("data-symbol")]
    assert groups
    scale = 12  # px per mm
    image = Image.new("L", (round(label.size_mm[0] * scale), round(label.size_mm[1] * scale)), 255)
    draw = ImageDraw.Draw(image)
    for group in groups:
        for rect in group.iter(f"{SVG_NS}rect"):
            x, y, w, h = (float(rect.get(k)) * scale for k in ("x", "y", "width", "height"))
            draw.rectangle((round(x), round(y), round(x + w) - 1, round(y + h) - 1), fill=0)
    assert found(image) == expected(label)
    texts = " ".join(t.text or "" for t in root.iter(f"{SVG_NS}text"))
    if name == "batch":
        assert groups[0].get("data-content") == label.url
        assert "Source Sans Pro" in root.find(f"{SVG_NS}text").get("font-family")
        assert PARTNER in texts and "Mydło lawendowe 100 g" in texts


# --- ZPL ----------------------------------------------------------------------------------


@pytest.mark.parametrize("dpi", [203, 300])
def test_zpl_blocks_sizes_and_data(dpi):
    labels = [SAMPLES[name] for name in ("batch", "unit", "garment", "pallet", "badge")]
    zpl = to_zpl(labels, dpi=dpi)
    blocks = re.findall(r"\^XA.*?\^XZ", zpl, flags=re.DOTALL)
    assert len(blocks) == len(labels) == zpl.count("^XA") == zpl.count("^XZ")
    assert "".join(blocks).replace("\n", "") == zpl.replace("\n", "")
    for block, label in zip(blocks, labels, strict=True):
        width, height = label.size_mm
        assert f"^PW{round(width * dpi / 25.4)}" in block
        assert f"^LL{round(height * dpi / 25.4)}" in block
        assert "^CI28" in block
    batch, unit, garment, pallet, badge = blocks
    qr_mag = symbols.QR_LARGE_MODULE_DOTS[dpi]
    assert f"^BQN,2,{qr_mag}^FH_^FDMA,{labels[0].url}^FS" in batch
    assert PARTNER in batch and "Mydło lawendowe 100 g" in batch
    assert "Źródlana" in unit and "℮" in unit and "^GFA" not in unit
    assert "^FDB7KQ4M2X^FS" in garment and "^FDRMA-2024/001234^FS" in garment
    assert f"^BY{symbols.CODE128_X_DOTS[dpi]}," in garment
    assert f"^BY{symbols.GS1_128_X_DOTS[dpi]}," in pallet
    assert "^FD>;>800106141411234567897^FS" in pallet
    assert "^GFA," in badge and labels[4].url in badge


def test_zpl_escapes_control_characters_and_refuses_other_dpi():
    tag = GarmentTag(item_code="B7KQ4M2X", return_number="RMA_1", sku="A^B~C", size="M")
    zpl = to_zpl([tag], dpi=203)
    assert "A_5EB_7EC" in zpl and "^FDRMA_5F1^FS" in zpl
    with pytest.raises(ValueError, match="203 or 300"):
        to_zpl([tag], dpi=600)
