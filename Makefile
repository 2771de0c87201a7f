# mycel — make targets. `make run` and `make test` work on a fresh Debian machine: run as
# root they install the Debian packages mycel needs; otherwise they say what to install.

SWIFT       ?= swift
PREFIX      ?= /usr/local
VAULT       ?= vault
# Debian packages the build and the tests need: ncursesw for the browser, cmark-gfm for
# rendering Markdown, tmux for the browser's end-to-end tests.
DEB_PACKAGES := libncurses-dev libcmark-gfm-dev libcmark-gfm-extensions-dev tmux

.PHONY: all deps build run test bench fuzz fuzz-build sanitize docs-generated install uninstall clean

all: build

deps:
	@if command -v dpkg >/dev/null 2>&1; then \
	  missing=""; \
	  for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	  if [ -n "$$missing" ]; then \
	    if [ "$$(id -u)" = 0 ]; then \
	      echo "installing Debian packages:$$missing"; \
	      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	    else \
	      echo "mycel needs these Debian packages:$$missing"; \
	      echo "install them with: sudo apt-get install$$missing"; exit 1; \
	    fi; \
	  fi; \
	else \
	  echo "note: not a Debian system; make sure ncursesw, cmark-gfm (with extensions) and tmux are installed"; \
	fi

build: deps
	$(SWIFT) build -c release

# Opens the sample vault in the browser (q quits).
run: build
	.build/release/mycel --vault $(VAULT)

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test

# Benchmarks against ripgrep, fzf and cat, measured in one run (see docs/performance.md).
# Generated vaults are cached in .build/bench-vaults.
bench: deps
	@for t in rg:ripgrep fzf:fzf; do \
	  command -v $${t%%:*} >/dev/null 2>&1 || { \
	    if [ "$$(id -u)" = 0 ]; then apt-get install -y -qq $${t##*:} >/dev/null || { apt-get update -qq && apt-get install -y -qq $${t##*:} >/dev/null; }; \
	    else echo "bench compares against $${t%%:*}: sudo apt-get install $${t##*:}"; fi; }; \
	done
	$(SWIFT) build -c release --product mycel
	$(SWIFT) build -c release --product mycel-bench
	.build/release/mycel-bench --cache .build/bench-vaults --mycel .build/release/mycel

# Fuzzing with libFuzzer (see docs/reliability.md): `make fuzz FUZZ_TIME=600 FUZZ_JOBS=2`.
# Starts from the seed corpus in Tests/Fuzz/corpus; what it learns goes to .build/fuzz-corpus,
# and an input that crashes or hangs to .build/fuzz-crashes/. Replay one with
# `.build/debug/mycel-fuzz FILE`, then keep it in Tests/Fuzz/regressions.
FUZZ_TIME ?= 300
FUZZ_JOBS ?= 1
FUZZ_FLAGS := -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING \
              -Xcc -fsanitize=fuzzer-no-link,address -Xswiftc -use-ld=lld
fuzz-build: deps
	$(SWIFT) build -c release --product mycel-fuzz --scratch-path .build/fuzz $(FUZZ_FLAGS)

fuzz: fuzz-build
	mkdir -p .build/fuzz-corpus .build/fuzz-crashes
	.build/fuzz/release/mycel-fuzz .build/fuzz-corpus Tests/Fuzz/corpus \
	  -dict=Tests/Fuzz/mycel.dict -max_len=8192 -timeout=10 -rss_limit_mb=4096 \
	  -max_total_time=$(FUZZ_TIME) -fork=$(FUZZ_JOBS) -ignore_crashes=1 \
	  -artifact_prefix=.build/fuzz-crashes/ -print_final_stats=1
	@n=$$(ls .build/fuzz-crashes | wc -l); echo "fuzz: $$n input(s) in .build/fuzz-crashes"; [ "$$n" = 0 ]

# The whole test suite under AddressSanitizer (with LeakSanitizer), then ThreadSanitizer,
# each in its own build folder so they do not disturb the normal build. The end-to-end tests
# run the sanitized mycel too. Leaks in code we do not own are listed, with the reason, in
# Tests/sanitizers/lsan.supp; any other report fails the run.
SANITIZER_ENV := LSAN_OPTIONS=suppressions=$(CURDIR)/Tests/sanitizers/lsan.supp:print_suppressions=0 \
                 TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1
sanitize: deps
	$(SWIFT) build --build-tests --sanitize=address --scratch-path .build/asan
	$(SANITIZER_ENV) $(SWIFT) test --sanitize=address --scratch-path .build/asan
	$(SWIFT) build --build-tests --sanitize=thread --scratch-path .build/tsan
	$(SANITIZER_ENV) $(SWIFT) test --sanitize=thread --scratch-path .build/tsan

# The man page comes from swift-argument-parser's generate-manual plugin, the shell
# completions from `mycel --generate-completion-script`: both follow the commands' --help.
MANDIR     := $(PREFIX)/share/man/man1
BASHDIR    := $(PREFIX)/share/bash-completion/completions
ZSHDIR     := $(PREFIX)/share/zsh/site-functions
FISHDIR    := $(PREFIX)/share/fish/vendor_completions.d

docs-generated: build
	mkdir -p .build/man .build/completions
	$(SWIFT) package --allow-writing-to-directory .build/man generate-manual \
	  --output-directory .build/man --authors "the mycel authors"
	.build/release/mycel --generate-completion-script bash > .build/completions/mycel.bash
	.build/release/mycel --generate-completion-script zsh > .build/completions/_mycel
	.build/release/mycel --generate-completion-script fish > .build/completions/mycel.fish

install: build docs-generated
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(MANDIR) $(DESTDIR)$(BASHDIR) $(DESTDIR)$(ZSHDIR) $(DESTDIR)$(FISHDIR)
	install -m 755 .build/release/mycel $(DESTDIR)$(PREFIX)/bin/mycel
	install -m 644 .build/man/mycel.1 $(DESTDIR)$(MANDIR)/mycel.1
	install -m 644 .build/completions/mycel.bash $(DESTDIR)$(BASHDIR)/mycel
	install -m 644 .build/completions/_mycel $(DESTDIR)$(ZSHDIR)/_mycel
	install -m 644 .build/completions/mycel.fish $(DESTDIR)$(FISHDIR)/mycel.fish

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/mycel $(DESTDIR)$(MANDIR)/mycel.1 $(DESTDIR)$(BASHDIR)/mycel \
	  $(DESTDIR)$(ZSHDIR)/_mycel $(DESTDIR)$(FISHDIR)/mycel.fish

clean:
	rm -rf .build
