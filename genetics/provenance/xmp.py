"""The XMP packet: IPTC ``DigitalSourceType``, a human statement and the Kinship namespace."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from xml.etree import ElementTree
from xml.sax.saxutils import escape, quoteattr

from PIL import Image

from genetics.provenance.info import TRAINED_ALGORITHMIC_MEDIA, ParentIngredient, ProvenanceError, ProvenanceInfo

NS_RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
NS_IPTC_EXT = "http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
NS_DC = "http://purl.org/dc/elements/1.1/"
NS_XMP = "http://ns.adobe.com/xap/1.0/"
# Kinship owns no domain, so its XMP namespace is a URN; it only has to be stable and unique.
NS_KINSHIP = "urn:kinship:ns:provenance:1.0/"


def xmp_packet(info: ProvenanceInfo, *, source_type: str = TRAINED_ALGORITHMIC_MEDIA) -> bytes:
    """Return the UTF-8 XMP packet that states the image is synthetic and carries the Kinship fields.

    ``source_type`` is the IPTC digital source type: a candidate is ``trainedAlgorithmicMedia``; an
    image that shows candidates beside photographs (an evaluation's contact sheet) is
    :data:`~genetics.provenance.info.COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA`.
    """
    created = info.created_at.isoformat()
    attributes = {
        "Iptc4xmpExt:DigitalSourceType": source_type,
        "xmp:CreatorTool": info.creator_tool,
        "xmp:CreateDate": created,
        "kinship:Engine": info.engine_name,
        "kinship:EngineVersion": info.engine_version,
        "kinship:JobReference": info.job_reference,
        "kinship:Seed": str(info.seed),
        "kinship:CreatedAt": created,
        "kinship:Parameters": json.dumps(info.parameters, sort_keys=True, ensure_ascii=False),
    }
    if info.application_version:
        attributes["kinship:ApplicationVersion"] = info.application_version
    checksums = "".join(
        f'<rdf:li rdf:parseType="Resource"><kinship:Name>{escape(name)}</kinship:Name>'
        f"<kinship:SHA256>{checksum}</kinship:SHA256></rdf:li>"
        for name, checksum in info.model_checksums.items()
    )
    parents = "".join(
        f'<rdf:li rdf:parseType="Resource"><kinship:Title>{escape(parent.title)}</kinship:Title>'
        f"<kinship:SHA256>{parent.sha256}</kinship:SHA256></rdf:li>"
        for parent in info.parents
    )
    body = (
        f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="{NS_RDF}">'
        f'<rdf:Description rdf:about="" xmlns:Iptc4xmpExt="{NS_IPTC_EXT}" xmlns:dc="{NS_DC}" '
        f'xmlns:xmp="{NS_XMP}" xmlns:kinship="{NS_KINSHIP}" '
        + " ".join(f"{key}={quoteattr(value)}" for key, value in attributes.items())
        + f'><dc:description><rdf:Alt><rdf:li xml:lang="x-default">{escape(info.statement)}</rdf:li>'
        f"</rdf:Alt></dc:description>"
        f"<kinship:ModelChecksums><rdf:Bag>{checksums}</rdf:Bag></kinship:ModelChecksums>"
        f"<kinship:Parents><rdf:Seq>{parents}</rdf:Seq></kinship:Parents>"
        "</rdf:Description></rdf:RDF></x:xmpmeta>"
    )
    return ('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>' + body + '<?xpacket end="r"?>').encode()


def xmp_text(image: Image.Image) -> str | None:
    """Return the image's XMP packet as text, if it has one."""
    raw = image.info.get("xmp")
    if raw is None and image.format == "TIFF":
        raw = getattr(image, "tag_v2", {}).get(700)
    if raw is None:
        return None
    return raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else str(raw)


def xmp_parse(xmp: str) -> ElementTree.Element:
    """Return the parsed XMP tree; refuse DTDs and malformed XML with a ProvenanceError."""
    # XMP never needs a DTD; refusing one rules out entity expansion attacks from uploaded files.
    if "<!DOCTYPE" in xmp or "<!ENTITY" in xmp:
        raise ProvenanceError("The XMP packet declares a DTD, which XMP does not allow; it was ignored.")
    start, end = xmp.find("<x:xmpmeta"), xmp.rfind("</x:xmpmeta>")
    text = xmp[start : end + len("</x:xmpmeta>")] if start >= 0 and end > start else xmp
    try:
        return ElementTree.fromstring(text)
    except ElementTree.ParseError as error:
        raise ProvenanceError(f"The XMP packet is not well-formed XML: {error}") from error


def xmp_value(root: ElementTree.Element, namespace: str, name: str) -> str | None:
    """Return a simple property written either as an attribute or as a child element."""
    tag = f"{{{namespace}}}{name}"
    for description in root.iter(f"{{{NS_RDF}}}Description"):
        if tag in description.attrib:
            return description.attrib[tag]
        element = description.find(tag)
        if element is not None:
            return element.get(f"{{{NS_RDF}}}resource") or (element.text or "").strip()
    return None


def _xmp_structs(root: ElementTree.Element, name: str, fields: Sequence[str]) -> list[tuple[str, ...]]:
    container = root.find(f".//{{{NS_KINSHIP}}}{name}")
    if container is None:
        return []
    return [
        tuple((item.findtext(f"{{{NS_KINSHIP}}}{field_name}") or "") for field_name in fields)
        for item in container.iter(f"{{{NS_RDF}}}li")
    ]


def xmp_info(root: ElementTree.Element) -> ProvenanceInfo | None:
    """Return the Kinship fields of a parsed packet, or None when it has none."""
    job = xmp_value(root, NS_KINSHIP, "JobReference")
    if job is None:
        return None
    description = root.find(f".//{{{NS_DC}}}description")
    statement = "".join(description.itertext()).strip() if description is not None else ""
    try:
        return ProvenanceInfo(
            engine_name=xmp_value(root, NS_KINSHIP, "Engine") or "",
            engine_version=xmp_value(root, NS_KINSHIP, "EngineVersion") or "",
            model_checksums=dict(_xmp_structs(root, "ModelChecksums", ("Name", "SHA256"))),
            job_reference=job,
            seed=int(xmp_value(root, NS_KINSHIP, "Seed") or "-1"),
            parameters=json.loads(xmp_value(root, NS_KINSHIP, "Parameters") or "{}"),
            created_at=dt.datetime.fromisoformat(xmp_value(root, NS_KINSHIP, "CreatedAt") or ""),
            parents=[ParentIngredient(t, s) for t, s in _xmp_structs(root, "Parents", ("Title", "SHA256"))],
            statement=statement,
            application_version=xmp_value(root, NS_KINSHIP, "ApplicationVersion"),
        )
    except (ValueError, TypeError) as error:
        raise ProvenanceError(f"The Kinship XMP fields are incomplete or malformed: {error}") from error
