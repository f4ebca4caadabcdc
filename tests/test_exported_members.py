"""The public surface of the package is what ``__all__`` says, and all of it exists."""

import kg


def test_exported_members():
    assert set(kg.__all__) == {
        "Article",
        "IngestReport",
        "KGError",
        "OxigraphStore",
        "Settings",
        "__version__",
        "extract",
        "get_settings",
        "ingest_paths",
        "open_store",
        "read_articles",
    }
    for name in kg.__all__:
        assert getattr(kg, name) is not None
