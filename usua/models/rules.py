"""Cross-field rules the models enforce beyond what JSON Schema can express. They are published in
each record's JSON Schema (``x-usua-cross-field-rules``) and in the codebook, so that third-party
validators know what the JSON Schema alone does not check."""

CROSS_FIELD_RULES: dict[str, list[str]] = {
    "all": [
        "Every date's precision, earliest, latest, approximate and uncertain, when given, agree with its value.",
        "An interval date does not end before it starts.",
        "Evidence start and end are given together, and end is greater than start.",
        "Evidence names each field of supports once, and fields, not an append position ('/-').",
    ],
    "document": [
        "A segment's last_line is not before its first_line.",
        "A document is not a copy of itself (copy_of.document differs from id).",
    ],
    "entity": [
        "No alias repeats the name or another alias (case-insensitive).",
        "At most one identifier per scheme; ISO 3166 identifiers only on states; identifier values match their scheme.",
    ],
    "role": ["The person is not the organization; end is not before start."],
    "event": [
        "An event is not part of itself; end_date is not before date.",
        "No participant is listed twice in the same role; no agreement is listed twice.",
    ],
    "agreement": [
        "Parties are distinct; every signatory signs on behalf of a party.",
        "in_force is not before signed; expires is not before signed or in_force.",
        "Status signed, in_force or expired requires a signed date (whose value may be null).",
        "Status adopted requires an adopted date (whose value may be null).",
        "An agreement does not relate to itself.",
        "No two provisions share a key (explicit, or derived from the text), no person signs twice, no relation "
        "(type and target) is listed twice.",
    ],
    "statement": ["The speaker is not among those who relayed the statement."],
    "disagreement": [
        "The versions cite at least two different documents.",
        "No two versions share a key (explicit, or derived from the claim).",
    ],
    "redirect": ["A redirect points to a different id of the same record type."],
    "contribution": ["Ids are unique within the file."],
}
