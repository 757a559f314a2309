"""The image browser is replaced after it hangs or crashes, so one failure spoils only its own render."""

from __future__ import annotations

import contextlib
import os
import signal

import plotly.graph_objects as go
import pytest

from exports.renderer import Renderer, RenderTimeout

OPTS = dict(format="svg", width=300, height=200, scale=1)


def _fig(title: str) -> go.Figure:
    return go.Figure(go.Bar(x=["a", "b"], y=[1, 2]), layout=dict(title=title))


@pytest.fixture
def renderer():
    r = Renderer(render_limit=4, start_limit=60)
    yield r
    r.stop()


def test_a_hung_browser_is_killed_and_the_next_render_works(renderer):
    assert b"<svg" in renderer.render(_fig("first"), OPTS)
    hung = renderer.browser_pid()
    assert hung is not None
    os.killpg(hung, signal.SIGSTOP)  # the browser stops answering, as a hung one does
    try:
        with pytest.raises(RenderTimeout):
            renderer.render(_fig("second"), OPTS)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(hung, signal.SIGCONT)
    with pytest.raises(ProcessLookupError):
        os.kill(hung, 0)  # the hung browser was killed, not left behind
    assert b"third" in renderer.render(_fig("third"), OPTS)
    assert renderer.browser_pid() not in (None, hung)
    assert renderer.starts == 2


def test_a_crashed_browser_is_replaced_before_the_next_render(renderer):
    renderer.render(_fig("first"), OPTS)
    crashed = renderer.browser_pid()
    os.killpg(crashed, signal.SIGKILL)
    assert b"after the crash" in renderer.render(_fig("after the crash"), OPTS)
    assert renderer.starts == 2


def test_a_forked_child_does_not_touch_its_parents_browser(renderer):
    renderer.warm()
    parent_browser = renderer.browser_pid()
    child = os.fork()
    if child == 0:  # the child: it sees no browser of its own, and stopping kills nothing
        code = 0 if renderer.browser_pid() is None else 1
        renderer.stop()
        os._exit(code)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    os.kill(parent_browser, 0)  # still running
    assert renderer.browser_pid() == parent_browser
