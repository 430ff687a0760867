"""ptykit.py: what the tests at a pseudo-terminal share."""
import os, select, time


def read_until(fd, text, seconds=10):
    """Everything the terminal shows until 'text' appears (or the time is up)."""
    seen = b""
    end = time.time() + seconds
    while time.time() < end and text.encode() not in seen:
        r, _, _ = select.select([fd], [], [], 0.2)
        if r:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
    return seen.decode("utf-8", "replace")
