"""Version numbers. The schema and the data are versioned separately (see CONTRIBUTING.md)."""

#: Version of the record schema (semver). Major: a change that can reject valid old data or
#: change a column's meaning. Minor: an added optional field, record type, table or vocabulary term.
SCHEMA_VERSION = "1.4.0"

#: Version of the curated dataset release bundled with this package.
DATASET_VERSION = "1.4.0"

__version__ = "1.4.0"
