"""AppTest helpers for the live ranking component (ui/live_ranking.py): read the data the page sent to it,
and hand weights back the way the browser does on release (AppTest has no driver for custom components,
so the component's widget state is added to the next run's widget states, as the frontend would send it)."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest


def live_element(at: AppTest):
    return next(e for e in at.get("bidi_component") if e.proto.component_name == "align_live_ranking")


def live_data(at: AppTest) -> dict:
    """The data the page sent to the live ranking component."""
    return json.loads(live_element(at).proto.json)


def release_weights(at: AppTest, indicator: dict | None = None, pillar: dict | None = None, seq: int = 1) -> AppTest:
    """Move weights in the live ranking and let go: the component's ``weights`` state changes, its
    ``on_weights_change`` callback runs before the script, as in the browser. Runs the app."""
    el = live_element(at)
    data = json.loads(el.proto.json)
    value = {
        "indicator": {**data["weights"]["indicator"], **(indicator or {})},
        "pillar": {**data["weights"]["pillar"], **(pillar or {})},
        "seq": seq,
    }
    tree = at._tree
    original = tree.get_widget_states

    def with_component():
        ws = original()
        w = ws.widgets.add()
        w.id = el.proto.id
        w.json_value = json.dumps({"weights": value})
        return ws

    tree.get_widget_states = with_component
    return at.run()
