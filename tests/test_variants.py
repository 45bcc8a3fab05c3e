"""Variant characters fold one to one in the matching text, so a rule written with 账 reads 帐 and the span shown
still points at the original characters."""
from checker.normalize import for_matching, matching_map, original_span


def test_zhang_variant_folds_and_spans_stay_aligned():
    text = "投标保证金须从基本帐户转出"
    norm = for_matching(text)
    assert "基本账户" in norm
    assert matching_map(text)[0] == norm
    start = norm.index("基本账户")
    assert original_span(text, start, start + 4) == "基本帐户"
