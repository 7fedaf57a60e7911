# Convenience targets over meson/ninja; `./configure` makes build/.
BUILD_DIR ?= build
QEMU := $(BUILD_DIR)/qemu-system-ppc64

.PHONY: all check check-asan bench run install clean format-check deps

all: $(BUILD_DIR)/build.ninja
	ninja -C $(BUILD_DIR)

$(BUILD_DIR)/build.ninja:
	BUILD_DIR=$(BUILD_DIR) ./configure

check: all
	sh scripts/run-tests.sh $(BUILD_DIR)

# The same tests in a second build with AddressSanitizer and UBSan.
check-asan:
	BUILD_DIR=build-asan ./configure --enable-sanitizers
	ninja -C build-asan
	ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		sh scripts/run-tests.sh build-asan

bench: all
	sh scripts/bench.sh $(BUILD_DIR)

run: all
	bash scripts/demo.sh $(QEMU)

install: all
	meson install -C $(BUILD_DIR)

format-check:
	sh scripts/format-check.sh

deps:
	sh scripts/install-deps.sh

clean:
	rm -rf $(BUILD_DIR) build-asan
