"""The structure check the crawls and form tests use finds what it says it finds."""

from tests.html_structure import structure_problems


def test_the_check_finds_a_block_in_phrasing_content_a_nested_link_and_a_repeated_id():
    html = (
        '<p><span class="helptext"><ul><li>8 caractères</li></ul></span></p>'
        '<a href="/a/"><a href="/b/">b</a></a><i id="x"></i><b id="x"></b>'
    )
    assert structure_problems(html) == [
        "<ul> inside <span>",
        "<a> inside <a>",
        'id "x" used twice',
    ]
    assert structure_problems('<div id="a"><p><a href="/">x</a></p><ul><li>y</li></ul></div>') == []
