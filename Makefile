# SPDX-License-Identifier: GPL-2.0
#
# Front door of the hmm_mirror series.  `make help` lists the targets.

SHELL := /bin/bash
S := scripts
VARIANT ?= debug

.PHONY: help all deps base tree export export-check precheck config build \
	selftests vm check test clean distclean htmldocs bench soak next-base b4-dryrun

help:
	@echo "make test         install dependencies, then make check (what CI runs)"
	@echo "make check        precheck + build every patch + VM runs of all suites"
	@echo "make precheck     apply/checkpatch/kernel-doc/export-check, no build (<60 s)"
	@echo "make b4-dryrun    b4 prep + 'b4 send -o out/b4/mails' (nothing sent), checked"
	@echo "make next-base    git am patches/ on the newest mainline rc (base-next.conf), report per patch"
	@echo "make htmldocs     build the Documentation/ dirs the series touches, fail on its warnings"
	@echo "make bench        benchmark CPU vs test_hmm vs test_hmm_mirror (plain kernel, ~5 min)"
	@echo "make soak DURATION=30m   stress+fuzz+lifetime on the debug kernel for that long"
	@echo "make tree         kernel tree = pinned base + patches/ (out/linux)"
	@echo "make export       kernel tree commits -> patches/ (deterministic)"
	@echo "make export-check fail if the kernel tree holds unexported work"
	@echo "make build        build VARIANT=debug|plain kernel (out/build/VARIANT)"
	@echo "make vm SUITES=a,b | RUN=prog ARGS='...'   boot VARIANT and run them"
	@echo "make clean        remove build products (keeps the kernel tree)"

all: check

deps:
	@$(S)/deps.sh

base:
	@$(S)/get-base.sh

tree:
	@$(S)/tree.sh

export:
	@$(S)/export.sh

export-check:
	@$(S)/export-check.sh

precheck:
	@$(S)/precheck.sh

b4-dryrun:
	@$(S)/b4-dryrun.sh

next-base:
	@$(S)/next-base.sh

htmldocs:
	@$(S)/docs-check.sh

# Work in progress (issue 4): CPU vs upstream test_hmm vs test_hmm_mirror.
bench:
	@$(S)/bench.sh

soak:
	@DURATION=$(DURATION) $(S)/soak.sh

config:
	@$(S)/config.sh $(VARIANT)

build:
	@$(S)/build-kernel.sh $(VARIANT)

selftests:
	@$(S)/build-selftests.sh $(VARIANT)

# make vm [VARIANT=debug] SUITES=hmm-tests   or   make vm RUN=./prog ARGS='-x'
vm: build selftests
	@RUN="$(if $(RUN),$(abspath $(RUN)))" ARGS="$(ARGS)" \
		$(S)/run-vm.sh $(VARIANT) $(VARIANT)-adhoc "$(SUITES)"

# A fresh clone has no kernel tree: make it from patches/ first.
check:
	@[ -d out/linux/.git ] || $(S)/tree.sh
	@$(S)/check.sh

test: deps check

clean:
	rm -rf out/build out/vm out/check out/selftests out/logs

distclean:
	rm -rf out
