# make test: builds TEST_DEPS, then scripts/run-tests.sh runs every command in TESTS.
# A test command prints one line per case, "ok - name" or "not ok - name: reason", and exits
# non-zero if any case failed; the runner adds the counts up. Boot tests build their own
# kernel configurations into $(O)/<app>[-ftrace]/ with a nested `make kernel`.
TESTS += test/boot/boot-tests.sh
TESTS += test/boot/trace-tests.sh
TESTS += test/e2e/capture-test.sh
TESTS += test/e2e/readme-test.sh
TESTS += test/boot/glass-tests.sh
TESTS += test/boot/raw-tests.sh
TESTS += test/boot/flow-tests.sh
TESTS += test/boot/events-tests.sh
TESTS += test/boot/profile-tests.sh
TESTS += test/boot/accuracy-tests.sh
