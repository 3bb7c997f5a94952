"""Builds the house DOCX template from scratch, part by part, so it is reproducible.

Run ``python -m contractkit.render.house_template templates/agreement.docx`` to rewrite the
committed template; a test checks that the committed file equals what this module makes.

The template contract (what ``render.docx`` relies on, and what a firm's own template must
offer) is in ``TEMPLATE_CONTRACT``.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
FONT = "Times New Roman"
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)

# Style ids the body XML uses, the numbering definition ids, and the docxtpl tags.
PARAGRAPH_STYLES = (
    "Title", "DraftNotice", "BodyText", "Heading1", "Heading2", "ClauseText", "ClauseL3",
    "ClauseL4", "ListText", "Definition", "ScheduleHeading", "ScheduleClause", "SignatureText",
    "TableText", "Header", "Footer",
)  # fmt: skip
CHARACTER_STYLES = ("DefinedTerm", "CounselMarker")
TABLE_STYLES = ("ContractTable",)
BODY_NUM_ID = 1
BODY_ABSTRACT_ID = 1
SCHEDULE_NUM_ID = 2
SCHEDULE_ABSTRACT_ID = 2
# The space is U+202F (narrow no-break): LibreOffice breaks a field's text at U+00A0, and a
# reference to a schedule prints this label.
SCHEDULE_LABEL = "Schedule\u202f%1"
TAGS = ("front_xml", "body_xml", "schedules_xml")
SIGNATURE_TAGS = ("signature_intro", "signatories", "s.legal_name", "s.name", "s.title")
HEADER_TAGS = ("title", "engagement_title", "watermark")

TEMPLATE_CONTRACT = {
    "paragraph_styles": PARAGRAPH_STYLES,
    "character_styles": CHARACTER_STYLES,
    "table_styles": TABLE_STYLES,
    "numbering": {
        "body": {"abstractNumId": BODY_ABSTRACT_ID, "numId": BODY_NUM_ID,
                 "levels": ["Heading1 %1.", "Heading2 %1.%2", "ClauseL3 (%3)", "ClauseL4 (%4)"]},
        "schedules": {"abstractNumId": SCHEDULE_ABSTRACT_ID, "numId": SCHEDULE_NUM_ID,
                      "levels": [f"ScheduleHeading {SCHEDULE_LABEL}", "ScheduleClause %2."]},
    },
    "document_tags": TAGS,
    "signature_tags": SIGNATURE_TAGS,
    "header_tags": HEADER_TAGS,
}  # fmt: skip

XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

CONTENT_TYPES = (
    XML_HEAD
    + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>'
    '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
    '<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>'
    '<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>'
    '<Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    "</Types>"
)  # fmt: skip

ROOT_RELS = (
    XML_HEAD
    + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)  # fmt: skip

DOCUMENT_RELS = (
    XML_HEAD
    + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>'
    '<Relationship Id="rId4" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/>'
    '<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>'
    '<Relationship Id="rId6" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/>'
    "</Relationships>"
)  # fmt: skip

CORE = (
    XML_HEAD
    + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>House agreement template</dc:title><dc:creator>contractkit</dc:creator>"
    "<cp:lastModifiedBy>contractkit</cp:lastModifiedBy><cp:revision>1</cp:revision>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">2026-01-01T00:00:00Z</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">2026-01-01T00:00:00Z</dcterms:modified>'
    "</cp:coreProperties>"
)  # fmt: skip

APP = (
    XML_HEAD
    + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>contractkit</Application></Properties>"
)

SETTINGS = (
    XML_HEAD
    + f'<w:settings xmlns:w="{W_NS}"><w:zoom w:percent="100"/>'
    '<w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/>'
    '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
    "</w:settings>"
)  # fmt: skip

FONT_TABLE = (
    XML_HEAD
    + f'<w:fonts xmlns:w="{W_NS}"><w:font w:name="{FONT}"><w:panose1 w:val="02020603050405020304"/>'
    '<w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font></w:fonts>'
)


def _rpr(*, bold: bool = False, italic: bool = False, size: int | None = None, caps: bool = False,
         color: str | None = None) -> str:  # fmt: skip
    parts = []
    if bold:
        parts.append("<w:b/>")
    if italic:
        parts.append("<w:i/>")
    if caps:
        parts.append("<w:caps/>")
    if color:
        parts.append(f'<w:color w:val="{color}"/>')
    if size:
        parts.append(f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>')
    return f"<w:rPr>{''.join(parts)}</w:rPr>" if parts else ""


def _pstyle(style_id: str, name: str, ppr: str, rpr: str = "", *, based: str = "Normal",
            next_style: str | None = None, outline: int | None = None) -> str:  # fmt: skip
    nxt = f'<w:next w:val="{next_style}"/>' if next_style else ""
    if outline is not None:
        ppr += f'<w:outlineLvl w:val="{outline}"/>'
    return (
        f'<w:style w:type="paragraph" w:styleId="{style_id}"><w:name w:val="{name}"/>'
        f'<w:basedOn w:val="{based}"/>{nxt}<w:qFormat/><w:pPr>{ppr}</w:pPr>{rpr}</w:style>'
    )


def _numpr(num_id: int, level: int) -> str:
    return f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'


def styles_xml() -> str:
    keep = "<w:keepNext/><w:keepLines/>"
    normal_rpr = (
        f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}" w:eastAsia="{FONT}"/>'
        '<w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="en-US"/>'
    )
    styles = [
        '<w:docDefaults><w:rPrDefault><w:rPr>' + normal_rpr + "</w:rPr></w:rPrDefault>"
        '<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr>'
        "</w:pPrDefault></w:docDefaults>",
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
        '<w:qFormat/><w:pPr><w:widowControl/><w:jc w:val="left"/></w:pPr>'
        f"<w:rPr>{normal_rpr}</w:rPr></w:style>",
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>',
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
        '<w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
        '<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>',
        '<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>'
        "<w:semiHidden/></w:style>",
        _pstyle("Title", "Title", '<w:jc w:val="center"/><w:spacing w:before="0" w:after="120"/>' + keep,
                _rpr(bold=True, size=32, caps=True), next_style="DraftNotice"),
        _pstyle("DraftNotice", "Draft Notice", '<w:jc w:val="center"/><w:spacing w:after="360"/>',
                _rpr(italic=True, size=18, color="7F7F7F")),
        _pstyle("BodyText", "Body Text", '<w:spacing w:after="160"/>'),
        _pstyle("Heading1", "heading 1",
                _numpr(BODY_NUM_ID, 0) + keep + '<w:spacing w:before="280" w:after="120"/><w:jc w:val="left"/>'
                '<w:ind w:left="720" w:hanging="720"/>',
                _rpr(bold=True, caps=True), next_style="Heading2", outline=0),
        _pstyle("Heading2", "heading 2",
                _numpr(BODY_NUM_ID, 1) + keep + '<w:spacing w:before="160" w:after="80"/><w:jc w:val="left"/>'
                '<w:ind w:left="720" w:hanging="720"/>',
                _rpr(bold=True), next_style="ClauseText", outline=1),
        _pstyle("ClauseText", "Clause Text", '<w:ind w:left="720"/><w:spacing w:after="120"/>'),
        _pstyle("ClauseL3", "Clause Level 3",
                _numpr(BODY_NUM_ID, 2) + '<w:ind w:left="1440" w:hanging="720"/><w:spacing w:after="80"/>'),
        _pstyle("ClauseL4", "Clause Level 4",
                _numpr(BODY_NUM_ID, 3) + '<w:ind w:left="2160" w:hanging="720"/><w:spacing w:after="80"/>'),
        _pstyle("ListText", "List Continuation", '<w:ind w:left="1440"/><w:spacing w:after="80"/>'),
        _pstyle("Definition", "Definition", '<w:ind w:left="720"/><w:spacing w:after="120"/>'),
        _pstyle("ScheduleHeading", "Schedule Heading",
                _numpr(SCHEDULE_NUM_ID, 0) + keep + '<w:pageBreakBefore/><w:jc w:val="center"/>'
                '<w:spacing w:before="0" w:after="240"/>',
                _rpr(bold=True, caps=True, size=24), next_style="ScheduleClause", outline=0),
        _pstyle("ScheduleClause", "Schedule Paragraph Heading",
                _numpr(SCHEDULE_NUM_ID, 1) + keep + '<w:spacing w:before="160" w:after="80"/><w:jc w:val="left"/>'
                '<w:ind w:left="720" w:hanging="720"/>',
                _rpr(bold=True), next_style="ClauseText", outline=1),
        _pstyle("SignatureText", "Signature Text", keep + '<w:jc w:val="left"/><w:spacing w:after="60"/>'),
        _pstyle("TableText", "Table Text", '<w:jc w:val="left"/><w:spacing w:before="40" w:after="40"/>',
                _rpr(size=20)),
        _pstyle("Header", "header", '<w:tabs><w:tab w:val="right" w:pos="9360"/></w:tabs>'
                '<w:jc w:val="left"/><w:spacing w:after="0"/>', _rpr(size=16, color="404040")),
        _pstyle("Footer", "footer", '<w:jc w:val="center"/><w:spacing w:after="0"/>', _rpr(size=16)),
        '<w:style w:type="character" w:styleId="DefinedTerm"><w:name w:val="Defined Term"/>'
        "<w:basedOn w:val=\"DefaultParagraphFont\"/><w:rPr><w:b/></w:rPr></w:style>",
        '<w:style w:type="character" w:styleId="CounselMarker"><w:name w:val="Counsel Marker"/>'
        '<w:basedOn w:val="DefaultParagraphFont"/><w:rPr><w:b/><w:highlight w:val="yellow"/></w:rPr></w:style>',
        '<w:style w:type="table" w:styleId="ContractTable"><w:name w:val="Contract Table"/>'
        '<w:basedOn w:val="TableNormal"/><w:tblPr><w:tblBorders>'
        + "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="808080"/>'
                  for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
        + '</w:tblBorders></w:tblPr><w:tblStylePr w:type="firstRow"><w:rPr><w:b/></w:rPr>'
        '<w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="E7E6E6"/></w:tcPr></w:tblStylePr></w:style>',
    ]  # fmt: skip
    return XML_HEAD + f'<w:styles xmlns:w="{W_NS}">' + "".join(styles) + "</w:styles>"


def _level(ilvl: int, fmt: str, text: str, style: str | None, left: int, hanging: int,
           suffix: str = "tab") -> str:  # fmt: skip
    pstyle = f'<w:pStyle w:val="{style}"/>' if style else ""
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>{pstyle}'
        f'<w:suff w:val="{suffix}"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{left}" w:hanging="{hanging}"/></w:pPr></w:lvl>'
    )


def numbering_xml() -> str:
    body = (
        f'<w:abstractNum w:abstractNumId="{BODY_ABSTRACT_ID}"><w:multiLevelType w:val="multilevel"/>'
        + _level(0, "decimal", "%1.", "Heading1", 720, 720)
        + _level(1, "decimal", "%1.%2", "Heading2", 720, 720)
        + _level(2, "lowerLetter", "(%3)", "ClauseL3", 1440, 720)
        + _level(3, "lowerRoman", "(%4)", "ClauseL4", 2160, 720)
        + "</w:abstractNum>"
    )
    schedules = (
        f'<w:abstractNum w:abstractNumId="{SCHEDULE_ABSTRACT_ID}"><w:multiLevelType w:val="multilevel"/>'
        # No punctuation after the number: a reference to the heading prints its label; the
        # colon is in the heading's text.
        + _level(0, "decimal", SCHEDULE_LABEL, "ScheduleHeading", 0, 0, "nothing")
        + _level(1, "decimal", "%2.", "ScheduleClause", 720, 720)
        + "</w:abstractNum>"
    )
    nums = (
        f'<w:num w:numId="{BODY_NUM_ID}"><w:abstractNumId w:val="{BODY_ABSTRACT_ID}"/></w:num>'
        f'<w:num w:numId="{SCHEDULE_NUM_ID}"><w:abstractNumId w:val="{SCHEDULE_ABSTRACT_ID}"/></w:num>'
    )
    return XML_HEAD + f'<w:numbering xmlns:w="{W_NS}">' + body + schedules + nums + "</w:numbering>"


def _p(style: str, inner: str, extra_ppr: str = "") -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{extra_ppr}</w:pPr>{inner}</w:p>'


def _t(text: str, rpr: str = "") -> str:
    return f'<w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r>'


def _field(instruction: str, cached: str) -> str:
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        f'<w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"<w:r><w:t>{cached}</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def header_xml() -> str:
    first = (
        _t("{{ title }}")
        + "<w:r><w:tab/></w:r>"
        + _t("{{ watermark }}", '<w:rPr><w:b/><w:color w:val="C00000"/></w:rPr>')
    )
    second = _t("{{ engagement_title }}")
    return (
        XML_HEAD
        + f'<w:hdr xmlns:w="{W_NS}" xmlns:r="{R_NS}">'
        + _p("Header", first)
        + _p("Header", second, '<w:spacing w:after="120"/>')
        + "</w:hdr>"
    )


def footer_xml() -> str:
    inner = _t("Page ") + _field("PAGE", "1") + _t(" of ") + _field("NUMPAGES", "1")
    return (
        XML_HEAD + f'<w:ftr xmlns:w="{W_NS}" xmlns:r="{R_NS}">' + _p("Footer", inner) + "</w:ftr>"
    )


def _cell(width: int, paragraphs: str) -> str:
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{paragraphs}</w:tc>'


def _row(cells: str, *, keep: bool = False) -> str:
    props = "<w:trPr><w:cantSplit/></w:trPr>" if keep else ""
    return f"<w:tr>{props}{cells}</w:tr>"


def signature_xml() -> str:
    """The signature block: one table row per party, from a docxtpl row loop."""
    sig = "SignatureText"
    party = _p(sig, _t("{{ s.legal_name }}", "<w:rPr><w:b/></w:rPr>"))
    lines = (
        _p(sig, _t("By: ______________________________"))
        + _p(sig, _t("Name: {{ s.name }}"))
        + _p(sig, _t("Title: {{ s.title }}"))
        + _p(sig, _t("Date: ______________________________"), '<w:spacing w:after="360"/>')
    )
    grid = '<w:tblGrid><w:gridCol w:w="4320"/><w:gridCol w:w="5040"/></w:tblGrid>'
    table = (
        '<w:tbl><w:tblPr><w:tblW w:w="9360" w:type="dxa"/><w:tblLayout w:type="fixed"/></w:tblPr>'
        + grid
        + _row(
            _cell(9360, _p(sig, _t("{%tr for s in signatories %}"))).replace(
                "<w:tcPr>", '<w:tcPr><w:gridSpan w:val="2"/>'
            )
        )
        + _row(_cell(4320, party) + _cell(5040, lines), keep=True)
        + _row(
            _cell(9360, _p(sig, _t("{%tr endfor %}"))).replace(
                "<w:tcPr>", '<w:tcPr><w:gridSpan w:val="2"/>'
            )
        )
        + "</w:tbl>"
    )
    intro = _p(sig, _t("{{ signature_intro }}"), '<w:spacing w:before="360" w:after="240"/>')
    return _p(sig, _t("{%p if signatories %}")) + intro + table + _p(sig, _t("{%p endif %}"))


def document_xml() -> str:
    body = (
        _p("Title", _t("{{ title }}"))
        + _p("DraftNotice", _t("{{ draft_notice }}"))
        + _p("BodyText", _t("{{p front_xml }}"))
        + _p("BodyText", _t("{{p body_xml }}"))
        + signature_xml()
        + _p("BodyText", "")
        + _p("BodyText", _t("{{p schedules_xml }}"))
    )
    sect = (
        '<w:sectPr><w:headerReference w:type="default" r:id="rId5"/>'
        '<w:footerReference w:type="default" r:id="rId6"/>'
        '<w:pgSz w:w="12240" w:h="15840"/>'
        '<w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="720" '
        'w:footer="720" w:gutter="0"/></w:sectPr>'
    )
    return (
        XML_HEAD
        + f'<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>{body}{sect}</w:body></w:document>'
    )


def template_parts() -> dict[str, str]:
    """Every part of the house template, in the order they are written."""
    return {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": ROOT_RELS,
        "docProps/core.xml": CORE,
        "docProps/app.xml": APP,
        "word/document.xml": document_xml(),
        "word/_rels/document.xml.rels": DOCUMENT_RELS,
        "word/styles.xml": styles_xml(),
        "word/numbering.xml": numbering_xml(),
        "word/settings.xml": SETTINGS,
        "word/fontTable.xml": FONT_TABLE,
        "word/header1.xml": header_xml(),
        "word/footer1.xml": footer_xml(),
    }


def write_template(target: Path) -> None:
    """Write the house template with fixed entry times, so the bytes never change."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in template_parts().items():
            info = zipfile.ZipInfo(name, FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))


if __name__ == "__main__":
    write_template(Path(sys.argv[1] if len(sys.argv) > 1 else "templates/agreement.docx"))
