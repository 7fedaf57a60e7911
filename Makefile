# Convenience targets over meson/ninja; `./configure` makes build/.
BUILD_DIR ?= build
QEMU := $(BUILD_DIR)/qemu-system-ppc64

.PHONY: all check check-asan check-valgrind soak check-tsan check-cross check-qemu-qtests fuzz \
	fuzz-coverage bench run run-linux run-qtest install clean format-check deps difftest \
	difftest-vec

all: $(BUILD_DIR)/build.ninja
	ninja -C $(BUILD_DIR)

$(BUILD_DIR)/build.ninja:
	BUILD_DIR=$(BUILD_DIR) ./configure

check: all
	sh scripts/run-tests.sh $(BUILD_DIR)

# The same tests in a second build with AddressSanitizer, UBSan and LeakSanitizer (the
# build's default test setup in tests/meson.build sets their options); its binary runs two
# to three times slower, so the timeouts are doubled.
check-asan:
	BUILD_DIR=build-asan ./configure --enable-sanitizers
	ninja -C build-asan
	sh scripts/run-tests.sh build-asan --timeout-multiplier 2

# valgrind memcheck of short runs of build/ (bare-metal guest programs, a QMP session):
# any memory error or lost block fails; scripts/valgrind.supp holds library-only
# suppressions. VALGRIND_LINUX=linux adds the functional Linux boot to power-off (long).
# Not in CI (docs/devel/fuzzing.rst).
check-valgrind: all
	sh scripts/check-valgrind.sh $(BUILD_DIR) $(VALGRIND_LINUX)

# The soak run (not in CI): Linux with -smp 2 doing userspace work (gzip, md5sum, sort) for
# SOAK_MINUTES while QMP is polled and the console read; fails on errors, lost QMP
# answers, console stalls or the emulator's own RSS growing past a bound, and prints the
# RSS samples (tests/functional/cases/soak.py).
SOAK_MINUTES ?= 30
soak: all
	SOAK_MINUTES=$(SOAK_MINUTES) python3 tests/functional/functest.py run \
		--build $(BUILD_DIR)/tests/functional --case soak --firmware vof --qemu $(QEMU)

# The multi-vCPU guest programs and Linux -smp 4 under ThreadSanitizer (build-tsan/);
# .ci/run runs it too (docs/devel/cpu.rst).
check-tsan:
	BUILD_DIR=build-tsan ./configure --enable-tsan
	ninja -C build-tsan
	sh scripts/check-tsan.sh build-tsan

# A ppc64le build (accel/kvm's ioctl side compiled, warnings as errors) with the KVM unit
# tests run under qemu-ppc64le (docs/system/ppc-kvm.rst).
check-cross:
	sh scripts/check-cross.sh build-cross

# QEMU 7.2's own qtest programs for qemu-system-ppc64 against ours (built from Debian's
# source package in the asset cache; docs/devel/qemu-qtests.rst). Not in .ci/run yet:
# several programs still fail (the document lists why).
check-qemu-qtests: all
	sh scripts/qemu-qtests.sh $(QEMU)

# libFuzzer targets (tests/fuzz, docs/devel/fuzzing.rst) in build-fuzz/ with clang,
# ASan and UBSan: each runs FUZZ_SECONDS from its seeds; any finding fails.
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= hcall rtas qmp qcow2 migration hmp qtest vof cas nvram xics crq mmio virtio \
	cmdline gdbstub vlan insn
fuzz:
	sh scripts/fuzz.sh build-fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# Lines of each source directory (hw/ppc and target/ppc first) that the checked-in fuzz
# seeds and regression inputs reach, replayed in build-cov/ (gcc, gcov); needs gcovr.
# Not in CI (docs/devel/fuzzing.rst).
fuzz-coverage:
	sh scripts/fuzz-coverage.sh build-cov

bench: all
	sh scripts/bench.sh $(BUILD_DIR)

# Differential campaign against Debian's QEMU: >= 1,000,000 random instructions per class.
DIFFTEST_N ?= 1000000
# The floating-point and vector classes (tests/difftest/gen_vec.py), 64-bit mode only.
DIFFTEST_FP := fp-arith,fp-convert,fp-fpscr
DIFFTEST_VMX := vmx-int,vmx-perm,vmx-float
DIFFTEST_VSX := vsx-scalar,vsx-vector,vsx-ldst
DIFFTEST_VEC := $(DIFFTEST_FP),$(DIFFTEST_VMX),$(DIFFTEST_VSX)
# The large differential campaign: every class big-endian, then little-endian (the
# string class exists only big-endian), then every fixed-point class in 32-bit mode with
# DIFFTEST_N/2.
difftest: all
	python3 tests/difftest/difftest.py run --qemu $(QEMU) -n $(DIFFTEST_N) --tests 10000 \
		--jobs 2 --ips
	python3 tests/difftest/difftest.py run --qemu $(QEMU) -n $(DIFFTEST_N) --tests 10000 \
		--jobs 2 --ips --endian le \
		--class arith,logical,cr,memory,branch,atomic,trap,priv,$(DIFFTEST_VEC)
	python3 tests/difftest/difftest.py run --qemu $(QEMU) -n $$(($(DIFFTEST_N) / 2)) \
		--tests 10000 --jobs 2 --ips --mode 32

# The floating-point and vector campaign in report mode: every test runs to the end, one
# summary per class and byte order in DIFFTEST_OUT, DIFFTEST_N test instructions per class
# (half big-endian, half little-endian) in images of 40,000 tests; fails on any mismatch.
# DIFFTEST_CLASSES=fp-arith,vmx-int picks classes. About 10 minutes per class at 1,000,000.
DIFFTEST_CLASSES ?= $(DIFFTEST_VEC)
DIFFTEST_OUT ?= $(BUILD_DIR)/difftest-vec
comma := ,
difftest-vec: all
	INSNS=$(DIFFTEST_N) bash tests/difftest/publish.sh $(QEMU) $(DIFFTEST_OUT) 40000 \
		$(subst $(comma), ,$(DIFFTEST_CLASSES))

# Boot a guest: the hello program of tests/guest, on the spapr-vty console.
run: all
	$(QEMU) -M pseries -m 1G -nodefaults -nographic -serial mon:stdio \
		-bios $(BUILD_DIR)/tests/guest/hello-be.bin

# Debian's ppc64el kernel (fetched into the functional suite's cache) booted to an
# interactive busybox shell; FIRMWARE=vof uses the built-in client interface.
FIRMWARE ?= slof
run-linux: all
	@set -e; eval "$$(python3 tests/functional/functest.py prepare \
		--build $(BUILD_DIR)/tests/functional)"; \
	vof=; [ "$(FIRMWARE)" = vof ] && vof=,x-vof=on; \
	exec $(QEMU) -M pseries$$vof -m 1G -nographic -kernel "$$vmlinux" \
		-initrd "$$initrd" -append "console=hvc0 quiet functest=shell"

# The same machine driven through the qtest protocol instead of guest code.
run-qtest: all
	bash scripts/demo.sh $(QEMU)

install: all
	meson install -C $(BUILD_DIR)

format-check:
	sh scripts/format-check.sh

deps:
	sh scripts/install-deps.sh

clean:
	rm -rf $(BUILD_DIR) build-asan
