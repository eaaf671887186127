#!/bin/sh
# A stand-in for the claude CLI in tests. It records what it was given under
# /workspace/.fake-claude/ (argv NUL-separated, its environment, uid, gid, cwd), prints its
# arguments, then behaves as the FAKE_CLAUDE_* variables ask, and exits with FAKE_CLAUDE_EXIT.
out=/workspace/.fake-claude
mkdir -p "$out"
printf '%s\0' "$@" > "$out/argv"
cat /proc/$$/environ > "$out/environ"
id -u > "$out/uid"
id -g > "$out/gid"
pwd > "$out/cwd"
echo "fake-claude: $# arguments"
for a in "$@"; do printf 'arg: %s\n' "$a"; done
echo "fake-claude: this line goes to stderr" >&2
if [ -n "$FAKE_CLAUDE_REWRITE_CONFIG" ]; then
  # what Claude Code does to its config: write a temporary file, then rename it over the old one
  printf '{"hasCompletedOnboarding": true, "rewritten": true}\n' > "$HOME/.claude.json.tmp" \
    && mv "$HOME/.claude.json.tmp" "$HOME/.claude.json" && echo "config rewritten"
fi
if [ -n "$FAKE_CLAUDE_FETCH" ]; then
  # goes through http_proxy, like every tool in the container
  wget -q -O "$out/fetched" "$FAKE_CLAUDE_FETCH"
  echo "fetch exit $?"
fi
if [ -n "$FAKE_CLAUDE_READ_LINES" ]; then
  echo "ready for input"
  while IFS= read -r line; do
    echo "got: $line"
    [ "$line" = "size" ] && echo "size: $(stty size)"
    [ "$line" = "quit" ] && break
  done
fi
if [ -n "$FAKE_CLAUDE_SLEEP" ]; then
  exec sleep "$FAKE_CLAUDE_SLEEP"
fi
exit "${FAKE_CLAUDE_EXIT:-0}"
