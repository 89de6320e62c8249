"""Every NDM/XML document Essor writes validates against the official schema of its version.

Sources: the Blue Book annex examples of the types Essor supports (OEM, OPM, OMM, TDM; OCM, RDM and combined NDM
examples are not supported and are left out) and every file in Tests/CCSDSTests/Fixtures/{oem,opm,omm,cdm,tdm}/valid/.

- default version: OEM/OPM/OMM 3.0, TDM 2.0, CDM 1.0 → NDM/XML 4.0.0 (`ndmxml-4.0.0-master-4.0.xsd`);
- `--version 2.0` for OEM/OPM/OMM → NDM/XML 2.0.0 unqualified (`ndmxml-2.0.0-master-2.0.xsd`). ODM 2.0 lacks the
  keywords 3.0 added (CLASSIFICATION, MESSAGE_ID, BTERM, AGOM) and Essor refuses to drop them silently, so the source
  is first copied without them (and a separate test checks the refusal).

The schemas fix each message's `version` attribute, so a document written with the wrong version fails too.
"""

from __future__ import annotations

import functools
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import xmlschema

from conftest import (
    XSD_2, XSD_4, bluebook_examples, case_id, message_type, valid_fixtures,
    without_odm3_keywords,
)

SOURCES = bluebook_examples("oem", "opm", "omm", "tdm") + valid_fixtures("oem", "opm", "omm", "cdm", "tdm")
ODM = {"oem", "opm", "omm"}
DEFAULT_VERSION = {"oem": "3.0", "opm": "3.0", "omm": "3.0", "tdm": "2.0", "cdm": "1.0"}


@functools.cache
def schema(path: Path) -> xmlschema.XMLSchema10:
    return xmlschema.XMLSchema10(str(path))


def assert_valid(document: Path, xsd: Path, expected_root: str, expected_version: str) -> None:
    root = ET.parse(document).getroot()
    assert root.tag == expected_root, f"root element <{root.tag}>, expected <{expected_root}>"
    assert root.get("version") == expected_version, (
        f"version attribute {root.get('version')!r}, expected {expected_version!r}"
    )
    errors = list(schema(xsd).iter_errors(str(document)))
    if errors:
        report = "\n".join(
            f"  - {e.path or '/'}: {e.reason}" for e in errors[:20]
        ) + (f"\n  … and {len(errors) - 20} more" if len(errors) > 20 else "")
        pytest.fail(f"{document.name} does not validate against {xsd.name} ({len(errors)} errors):\n{report}",
                    pytrace=False)


def test_schemas_load_and_are_not_vacuous(shared_ccsds):
    """The oracle itself: both master schemas load, accept a Blue Book example and reject a broken one."""
    example = shared_ccsds / "examples" / "xml" / "opm_g5.xml"
    assert not list(schema(XSD_4).iter_errors(str(example)))
    text = example.read_text()
    broken = text.replace("<ORIGINATOR>", "<ORIGINATOR_X>").replace("</ORIGINATOR>", "</ORIGINATOR_X>")
    assert broken != text
    assert list(schema(XSD_4).iter_errors(broken)), "ndmxml-4.0.0 accepted an OPM with an unknown element"
    assert list(schema(XSD_2).iter_errors(str(example))), "ndmxml-2.0.0 accepted an OPM 3.0"


@pytest.mark.parametrize("source", SOURCES, ids=case_id)
def test_xml_validates_default_version(essor, tmp_path, source):
    kind = message_type(source)
    out = essor.convert(source, "xml", tmp_path / f"{source.stem}.xml")
    assert_valid(out, XSD_4, kind, DEFAULT_VERSION[kind])


@pytest.mark.parametrize("source", [s for s in SOURCES if message_type(s) in ODM], ids=case_id)
def test_xml_validates_version_2(essor, tmp_path, source):
    kind = message_type(source)
    compatible = without_odm3_keywords(source, tmp_path)
    out = essor.convert(compatible, "xml", tmp_path / f"{source.stem}-v2.xml", version="2.0")
    assert_valid(out, XSD_2, kind, "2.0")


@pytest.mark.parametrize("encoding", ["xml", "kvn"])
def test_version_2_refuses_odm3_keywords(essor, tmp_path, shared_ccsds, encoding):
    """omm_g7 has MESSAGE_ID, which ODM 2.0 does not have: writing it as 2.0 fails and names the keyword."""
    source = shared_ccsds / "examples" / "kvn" / "omm_g7.kvn"
    assert "MESSAGE_ID" in source.read_text()
    result = essor.run("convert", source, "--to", encoding, "--version", "2.0", "-o", tmp_path / "out")
    assert result.returncode == 1, f"exit {result.returncode}\n{result.stderr}"
    assert "MESSAGE_ID" in result.stderr


@pytest.mark.parametrize("source", valid_fixtures("tle"), ids=case_id)
def test_omm_xml_from_element_sets_validates(essor, tmp_path, source):
    """TLE/3LE → `omm-xml`: one set gives an <omm>, several an <ndm> of <omm> 3.0; both validate (NDM/XML 4.0.0)."""
    out = essor.convert(source, "omm-xml", tmp_path / f"{source.stem}.xml")
    root = ET.parse(out).getroot()
    if root.tag == "ndm":
        messages = list(root.iter("omm"))
        assert messages, "<ndm> without <omm>"
        assert all(m.get("version") == "3.0" for m in messages), "an <omm> is not version 3.0"
        errors = list(schema(XSD_4).iter_errors(str(out)))
        assert not errors, f"{out.name}: " + "; ".join(f"{e.path}: {e.reason}" for e in errors[:10])
    else:
        assert_valid(out, XSD_4, "omm", "3.0")
