"""The publisher's part of a PDF's XMP metadata: who publishes it, under which licence,
at which address, as the edition's HTML head says (``dcterms.*``).

WeasyPrint writes the title, authors, description and dates into the XMP packet; a
reader's or an archive's tools look there for the publisher and rights too.
"""

from __future__ import annotations

from typing import Any
from xml.etree.ElementTree import SubElement, fromstring, register_namespace, tostring

from weasyprint.pdf.metadata import DocumentMetadata

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DC = "http://purl.org/dc/elements/1.1/"
XMP_RIGHTS = "http://ns.adobe.com/xap/1.0/rights/"
register_namespace("xmpRights", XMP_RIGHTS)


class PublishedMetadata(DocumentMetadata):  # type: ignore[misc]
    """WeasyPrint's metadata, with dc:publisher, dc:rights, dc:identifier and
    xmpRights in the same RDF description list."""

    def generate_rdf_metadata(self, *args: Any) -> bytes:
        rdf = fromstring(super().generate_rdf_metadata(*args))
        custom = self.custom
        if any(custom.get(f"dcterms.{name}") for name in ("publisher", "rights", "identifier")):
            description = SubElement(rdf, f"{{{RDF}}}Description", {f"{{{RDF}}}about": ""})
            if custom.get("dcterms.publisher"):
                bag = SubElement(SubElement(description, f"{{{DC}}}publisher"), f"{{{RDF}}}Bag")
                SubElement(bag, f"{{{RDF}}}li").text = custom["dcterms.publisher"]
            if custom.get("dcterms.identifier"):
                SubElement(description, f"{{{DC}}}identifier").text = custom["dcterms.identifier"]
            if custom.get("dcterms.rights"):
                alt = SubElement(SubElement(description, f"{{{DC}}}rights"), f"{{{RDF}}}Alt")
                li = SubElement(alt, f"{{{RDF}}}li", {"xml:lang": "x-default"})
                li.text = custom["dcterms.rights"]
                SubElement(description, f"{{{XMP_RIGHTS}}}Marked").text = "True"
            if custom.get("dcterms.license"):
                SubElement(description, f"{{{XMP_RIGHTS}}}WebStatement").text = (
                    custom["dcterms.license"])
        data: bytes = tostring(rdf, encoding="utf-8")
        return data


def with_publication(metadata: DocumentMetadata) -> DocumentMetadata:
    """``metadata`` that writes the publisher's part of the XMP packet too."""
    if isinstance(metadata, PublishedMetadata):
        return metadata
    published = PublishedMetadata()
    published.__dict__.update(metadata.__dict__)
    return published


__all__ = ["PublishedMetadata", "with_publication"]
