"""Plumbing for tests/vm/run: the Debian image, QEMU (TCG), QMP, the serial-console agent,
screen captures (PPM -> PNG, pixel checks, QR codes) and FAT stick images.

Standard library only (Python 3.9+). Host tools: mmdebstrap, mkfs.ext4 (e2fsprogs >= 1.43),
qemu-system-x86_64 (or qemu-system-aarch64 for arm64), mkfs.vfat (dosfstools), mtools,
zbarimg (zbar-tools, for QR codes).
"""

import base64
import contextlib
import glob
import hashlib
import json
import os
import platform
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
OUT = os.path.join(REPO, "target", "vm")

SUITE = "bookworm"
# The base system: minbase plus what a Pi OS Lite install has that matters here. The kiosk's
# own Depends are resolved by apt when the .deb is installed (from the archive, not from this
# list); libinput10/libxkbcommon0/libfontconfig1 are here only so a cached base saves time.
# sqlite3 is a test tool (PRAGMA integrity_check), as in docs/on-device-checklist.md item 22.
BASE_PACKAGES = [
    "systemd", "systemd-sysv", "udev", "dbus", "linux-image-amd64", "kmod", "procps",
    "libinput10", "libxkbcommon0", "libfontconfig1", "sqlite3",
]


class Arch:
    """What differs between the machines the image is built for: amd64 (the default, what CI
    boots) and arm64 (the Pi's own build, booted on QEMU's `virt` board). Everything else —
    the image, the agent, the checks — is the same for both."""

    def __init__(self, name, uname, kernel, qemu, qemu_package, machine, console, agent_tty,
                 agent_device, deb_dirs, guest_files=None, guest_masks=()):
        self.name, self.uname, self.kernel = name, uname, kernel
        self.qemu, self.qemu_package, self.machine = qemu, qemu_package, list(machine)
        self.console, self.agent_tty, self.agent_device = console, agent_tty, list(agent_device)
        self.deb_dirs = list(deb_dirs)  # where `cargo deb` leaves the package, first the usual
        self.guest_files = dict(guest_files or {})
        self.guest_masks = list(guest_masks)

    def base_packages(self):
        return [self.kernel if p == "linux-image-amd64" else p for p in BASE_PACKAGES]


ARCHES = {
    "amd64": Arch(
        "amd64", uname="x86_64", kernel="linux-image-amd64",
        qemu="qemu-system-x86_64", qemu_package="qemu-system-x86", machine=[],
        console="ttyS0", agent_tty="ttyS1", agent_device=["-serial", "chardev:ctl"],
        deb_dirs=["target/debian"]),
    # QEMU's virt board has one UART (the PL011, ttyAMA0), so the agent gets a virtio console
    # (hvc0) instead of a second serial port.
    "arm64": Arch(
        "arm64", uname="aarch64", kernel="linux-image-arm64",
        qemu="qemu-system-aarch64", qemu_package="qemu-system-arm",
        machine=["-M", "virt", "-cpu", "max"],
        console="ttyAMA0", agent_tty="hvc0",
        agent_device=["-device", "virtio-serial-pci", "-device", "virtconsole,chardev=ctl"],
        # cargo-deb 3.8 writes the cross-built package to target/<triple>/debian/ and links it
        # into target/debian/ (the path it prints).
        deb_dirs=["target/aarch64-unknown-linux-gnu/debian", "target/debian"],
        guest_files={
            # Debian's arm64 kernel has virtio_console as a module: hvc0 appears only once
            # udev has loaded it, and until then the agent restarts each second — without
            # this, systemd gives up after five tries.
            "/etc/systemd/system/vm-harness-agent.service.d/wait-for-hvc0.conf":
                "[Unit]\nStartLimitIntervalSec=0\n",
        },
        # systemd-getty-generator puts a login prompt on hvc0 when it sees one; it is the
        # agent's.
        guest_masks=["serial-getty@hvc0.service"]),
}
AMD64 = ARCHES["amd64"]


def need_foreign_exec(arch):
    """An arm64 image is built in chroots on this (x86) host: its programs run through
    qemu-user, registered with binfmt_misc with the F flag (the interpreter opened once, so
    it works inside the chroot). mmdebstrap asks arch-test whether they do."""
    if platform.machine() == arch.uname:
        return
    if shutil.which("arch-test") is None:
        raise RuntimeError("mmdebstrap needs arch-test for a foreign architecture "
                           "(apt-get install arch-test qemu-user-static)")
    entry = "/proc/sys/fs/binfmt_misc/qemu-" + arch.uname
    try:
        with open(entry) as f:
            text = f.read()
    except OSError:
        text = ""
    flags = re.search(r"^flags: *(\S*)", text, re.M)
    if not text.startswith("enabled") or not flags or "F" not in flags.group(1):
        raise RuntimeError(
            "%s programs do not run on this %s host: %s is %s. Install qemu-user-static and "
            "register it with the F flag: cat /usr/lib/binfmt.d/qemu-%s.conf > "
            "/proc/sys/fs/binfmt_misc/register (binfmt_misc mounted at /proc/sys/fs/binfmt_misc)"
            % (arch.name, platform.machine(), entry,
               "missing" if not text else "without the F flag or disabled", arch.uname))


# Reproducible tarballs (mmdebstrap honours it); with a snapshot.debian.org --mirror the
# base is bit-for-bit the same on every run.
SOURCE_DATE_EPOCH = "1735689600"  # 2025-01-01

_t0 = time.monotonic()
_log_file = None


def log(msg):
    """Progress for humans, on stderr and in target/vm/run.log (stdout is the check lines)."""
    global _log_file
    line = "[%7.1f] %s" % (time.monotonic() - _t0, msg)
    print(line, file=sys.stderr, flush=True)
    if _log_file is None:
        os.makedirs(OUT, exist_ok=True)
        _log_file = open(os.path.join(OUT, "run.log"), "w", buffering=1)  # one run's log
    _log_file.write(line + "\n")


def run(cmd, check=True, capture=False, env=None, input=None, timeout=None, cwd=None):
    log("$ " + " ".join(cmd))
    res = subprocess.run(
        cmd, check=False, env=env, cwd=cwd, timeout=timeout,
        input=input.encode() if isinstance(input, str) else input,
        # Tools' own output goes to stderr: stdout carries only the check lines.
        stdout=subprocess.PIPE if capture else sys.stderr.fileno(),
        stderr=subprocess.STDOUT if capture else None,
    )
    if check and res.returncode != 0:
        out = res.stdout.decode(errors="replace")[-2000:] if capture else ""
        raise RuntimeError("%s exited %d %s" % (cmd[0], res.returncode, out))
    return res


def need_tools(*tools, arch=AMD64):
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        raise RuntimeError(
            "missing host tools: %s (apt-get install %s mmdebstrap e2fsprogs "
            "dosfstools mtools zbar-tools)" % (", ".join(missing), arch.qemu_package))


# --------------------------------------------------------------------------- image build

def default_sources():
    """The mirror mmdebstrap uses: the host's deb822 sources file, as a volunteer's Pi
    would use its own, else deb.debian.org."""
    f = "/etc/apt/sources.list.d/debian.sources"
    if os.path.isfile(f):
        return f
    return "http://deb.debian.org/debian"


def base_tarball(mirror, cache, work, arch=AMD64):
    """The base root file system as a tarball. Built from scratch every run unless `cache`:
    then kept in target/vm/cache/ under a key of suite, packages and mirror (and the
    architecture, which amd64's name leaves out so caches from before arm64 stay valid)."""
    packages = arch.base_packages()
    desc = json.dumps([SUITE, "minbase", packages, mirror,
                       open(mirror).read() if os.path.isfile(mirror) else ""])
    key = hashlib.sha256(desc.encode()).hexdigest()[:12]
    suite = SUITE if arch is AMD64 else SUITE + "-" + arch.name
    if cache:
        path = os.path.join(OUT, "cache", "base-%s-%s.tar" % (suite, key))
        if os.path.isfile(path):
            log("base tarball from cache: %s" % path)
            return path, 0.0
    else:
        path = os.path.join(work, "base.tar")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".part"
    env = dict(os.environ, SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH)
    started = time.monotonic()
    run(["mmdebstrap", "--variant=minbase", "--arch=" + arch.name,
         "--include=" + ",".join(packages), "--format=tar", SUITE, tmp, mirror], env=env)
    os.replace(tmp, path)
    return path, time.monotonic() - started


class Chroot:
    """The unpacked image with /proc, /sys, /dev and DNS, for apt and the kiosk's own CLI.
    Host folders can be bound in (`bind`) so files made here never stay in the image."""

    def __init__(self, root):
        self.root = root
        self.mounts = []

    def __enter__(self):
        r = self.root
        for src, dst, opts in [("proc", "proc", ["-t", "proc"]), ("sysfs", "sys", ["-t", "sysfs"]),
                               ("/dev", "dev", ["--bind"]), ("devpts", "dev/pts", ["-t", "devpts"])]:
            target = os.path.join(r, dst)
            os.makedirs(target, exist_ok=True)
            run(["mount"] + opts + [src, target])
            self.mounts.append(target)
        resolv = os.path.join(r, "etc/resolv.conf")
        self.resolv_saved = None
        if os.path.lexists(resolv):
            self.resolv_saved = resolv + ".vm-harness"
            os.replace(resolv, self.resolv_saved)
        shutil.copyfile("/etc/resolv.conf", resolv)
        # No daemon starts inside the chroot (invoke-rc.d asks policy-rc.d).
        self.policy = os.path.join(r, "usr/sbin/policy-rc.d")
        with open(self.policy, "w") as f:
            f.write("#!/bin/sh\nexit 101\n")
        os.chmod(self.policy, 0o755)
        return self

    def bind(self, host_dir, inside):
        target = os.path.join(self.root, inside.lstrip("/"))
        os.makedirs(target, exist_ok=True)
        run(["mount", "--bind", host_dir, target])
        self.mounts.append(target)

    def sh(self, script, check=True, capture=False, input=None, timeout=1800):
        env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HOME": "/root", "LANG": "C.UTF-8",
               "DEBIAN_FRONTEND": "noninteractive", "TERM": "dumb"}
        return run(["chroot", self.root, "/bin/sh", "-ec", script], check=check,
                   capture=capture, env=env, input=input, timeout=timeout)

    def __exit__(self, *exc):
        for target in reversed(self.mounts):
            if run(["umount", target], check=False).returncode != 0:
                run(["umount", "-l", target], check=False)
        os.unlink(self.policy)
        resolv = os.path.join(self.root, "etc/resolv.conf")
        os.unlink(resolv)
        if self.resolv_saved:
            os.replace(self.resolv_saved, resolv)
        return False


def write(root, path, text, mode=0o644):
    full = os.path.join(root, path.lstrip("/"))
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "w") as f:
        f.write(text)
    os.chmod(full, mode)


def enable_unit(root, unit, wanted_by="multi-user.target"):
    """`systemctl enable` without running systemctl: the [Install] symlink."""
    d = os.path.join(root, "etc/systemd/system", wanted_by + ".wants")
    os.makedirs(d, exist_ok=True)
    link = os.path.join(d, unit)
    if os.path.lexists(link):
        os.unlink(link)
    src = "/etc/systemd/system/" + unit
    if not os.path.exists(os.path.join(root, src.lstrip("/"))):
        src = "/lib/systemd/system/" + unit
    os.symlink(src, link)


def kernel_cmdline(arch=AMD64):
    return ("console=%s root=/dev/vda rw init=/lib/systemd/systemd "
            # the install guide's additions to cmdline.txt
            "consoleblank=0 vt.global_cursor_default=0 quiet" % arch.console)


KERNEL_CMDLINE = kernel_cmdline()


def prepare_guest(root, arch=AMD64):
    """What the harness needs in any image: the agent on the second console (ttyS1; hvc0 on
    arm64), a root autologin on the first (ttyS0; ttyAMA0) for a human (socat -
    UNIX-CONNECT:target/vm/work/console.sock), a persistent journal."""
    with open(os.path.join(HERE, "guest", "vm-harness-agent")) as f:
        write(root, "/usr/local/sbin/vm-harness-agent", f.read(), 0o755)
    with open(os.path.join(HERE, "guest", "vm-harness-agent.service")) as f:
        write(root, "/etc/systemd/system/vm-harness-agent.service",
              f.read().replace("on ttyS1", "on " + arch.agent_tty)
              .replace("TTYPath=/dev/ttyS1", "TTYPath=/dev/" + arch.agent_tty))
    enable_unit(root, "vm-harness-agent.service", "sysinit.target")
    for path, text in arch.guest_files.items():
        write(root, path, text)
    for unit in arch.guest_masks:
        link = os.path.join(root, "etc/systemd/system", unit)
        if not os.path.lexists(link):
            os.symlink("/dev/null", link)
    write(root, "/etc/systemd/system/serial-getty@%s.service.d/autologin.conf" % arch.console,
          "[Service]\nExecStart=\nExecStart=-/sbin/agetty --autologin root --noclear "
          "--keep-baud 115200,57600,38400,9600 - $TERM\n")
    write(root, "/etc/hostname", "lobby-vm\n")
    write(root, "/etc/hosts", "127.0.0.1 localhost\n127.0.1.1 lobby-vm\n")
    write(root, "/etc/fstab", "/dev/vda / ext4 rw,errors=remount-ro 0 1\n")
    os.makedirs(os.path.join(root, "var/log/journal"), exist_ok=True)
    # The install guide: no login prompts on other consoles, no console switching.
    write(root, "/etc/systemd/logind.conf.d/lobby-kiosk.conf", "[Login]\nNAutoVTs=0\nReserveVT=0\n")
    # Nothing in a minbase image needs the network at boot; timers would only add noise.
    for unit in ["apt-daily.timer", "apt-daily-upgrade.timer", "e2scrub_all.timer",
                 "fstrim.timer", "man-db.timer"]:
        link = os.path.join(root, "etc/systemd/system", unit)
        if not os.path.lexists(link):
            os.symlink("/dev/null", link)


def unpack(base_tar, rootfs):
    if os.path.exists(rootfs):
        shutil.rmtree(rootfs)
    os.makedirs(rootfs)
    run(["tar", "-C", rootfs, "--numeric-owner", "--xattrs", "--xattrs-include=*",
         "-xpf", base_tar])


def make_disk(rootfs, disk, size="3G"):
    """The SD card: one ext4 file system made from the folder (no loop mount needed)."""
    kernels = sorted(glob.glob(os.path.join(rootfs, "boot/vmlinuz-*")))
    initrds = sorted(glob.glob(os.path.join(rootfs, "boot/initrd.img-*")))
    if not kernels or not initrds:
        raise RuntimeError("no kernel/initrd in %s/boot" % rootfs)
    work = os.path.dirname(disk)
    shutil.copyfile(kernels[-1], os.path.join(work, "vmlinuz"))
    shutil.copyfile(initrds[-1], os.path.join(work, "initrd.img"))
    if os.path.exists(disk):
        os.unlink(disk)
    env = dict(os.environ, E2FSPROGS_FAKE_TIME=SOURCE_DATE_EPOCH)
    run(["mkfs.ext4", "-q", "-F", "-L", "lobbyroot", "-U", "6c6f6262-796b-696f-736b-000000000001",
         "-E", "root_owner=0:0", "-d", rootfs, disk, size], env=env)


# --------------------------------------------------------------------------- FAT sticks

def make_stick(path, files, size_mb=64, label="KIOSKSTICK"):
    """A USB stick image: an MBR with one FAT32 partition at 1 MiB (so the guest sees sda1),
    holding `files` = {path on stick: host file}, written with mtools (no mount needed)."""
    size = size_mb * 1024 * 1024
    start = 2048
    mbr = bytearray(512)
    mbr[440:444] = struct.pack("<I", 0x4C4B5331)
    mbr[446:462] = struct.pack("<B3sB3sII", 0, b"\xfe\xff\xff", 0x0C, b"\xfe\xff\xff",
                               start, size // 512 - start)
    mbr[510:512] = b"\x55\xaa"
    if os.path.exists(path):
        os.unlink(path)
    with open(path, "wb") as f:
        f.write(mbr)
        f.truncate(size)
    run(["mkfs.vfat", "-F", "32" if size_mb >= 64 else "16", "--offset=%d" % start,
         "-n", label, path, str((size - start * 512) // 1024)], capture=True)
    img = path + "@@1M"
    made = set()
    for dest in sorted(files):
        parts = dest.strip("/").split("/")
        for i in range(1, len(parts)):
            d = "/".join(parts[:i])
            if d not in made:
                mtools(["mmd", "-i", img, "::/" + d])
                made.add(d)
        mtools(["mcopy", "-i", img, files[dest], "::/" + dest.strip("/")])
    return path


def mtools(cmd, check=True):
    env = dict(os.environ, MTOOLS_SKIP_CHECK="1", MTOOLS_NO_VFAT="0")
    return run(cmd, check=check, capture=True, env=env)


def stick_list(path):
    """Every file on a stick image: {path: size}."""
    res = mtools(["mdir", "-i", path + "@@1M", "-/", "-b", "::/"], check=False)
    out = {}
    for line in res.stdout.decode(errors="replace").splitlines():
        line = line.strip()
        if line.startswith("::/") and not line.endswith("/"):
            out[line[2:]] = True
    return out


def stick_read(path, name):
    """A file's bytes from a stick image, or None."""
    with tempfile.TemporaryDirectory() as d:
        dest = os.path.join(d, "f")
        res = mtools(["mcopy", "-n", "-i", path + "@@1M", "::/" + name.lstrip("/"), dest],
                     check=False)
        if res.returncode != 0 or not os.path.exists(dest):
            return None
        with open(dest, "rb") as f:
            return f.read()


# --------------------------------------------------------------------------- captures

class Image:
    """An RGB picture from QEMU's screendump (binary PPM)."""

    def __init__(self, width, height, data):
        self.w, self.h, self.data = width, height, data

    @classmethod
    def from_ppm(cls, path):
        with open(path, "rb") as f:
            raw = f.read()
        m = re.match(rb"P6\s+(?:#[^\n]*\s+)*(\d+)\s+(\d+)\s+(\d+)\s", raw)
        if not m:
            raise RuntimeError("%s is not a binary PPM" % path)
        w, h, maxval = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if maxval != 255:
            raise RuntimeError("PPM maxval %d" % maxval)
        data = raw[m.end():m.end() + w * h * 3]
        return cls(w, h, data)

    @classmethod
    def from_png(cls, path):
        """8-bit RGB/RGBA, non-interlaced PNGs (the repo's screenshots; slow, for self-tests)."""
        with open(path, "rb") as f:
            raw = f.read()
        if raw[:8] != b"\x89PNG\r\n\x1a\n":
            raise RuntimeError("%s is not a PNG" % path)
        pos, idat, w = 8, b"", 0
        while pos < len(raw):
            n, tag = struct.unpack(">I4s", raw[pos:pos + 8])
            body = raw[pos + 8:pos + 8 + n]
            if tag == b"IHDR":
                w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
                if depth != 8 or ctype not in (2, 6) or interlace:
                    raise RuntimeError("unsupported PNG %s" % path)
                bpp = 3 if ctype == 2 else 4
            elif tag == b"IDAT":
                idat += body
            pos += 12 + n
        data = zlib.decompress(idat)
        stride = w * bpp
        prev = bytearray(stride)
        out = bytearray()
        i = 0
        for _ in range(h):
            ftype = data[i]
            line = bytearray(data[i + 1:i + 1 + stride])
            i += 1 + stride
            if ftype == 1:
                for x in range(bpp, stride):
                    line[x] = (line[x] + line[x - bpp]) & 255
            elif ftype == 2:
                for x in range(stride):
                    line[x] = (line[x] + prev[x]) & 255
            elif ftype == 3:
                for x in range(stride):
                    left = line[x - bpp] if x >= bpp else 0
                    line[x] = (line[x] + ((left + prev[x]) >> 1)) & 255
            elif ftype == 4:
                for x in range(stride):
                    a = line[x - bpp] if x >= bpp else 0
                    b = prev[x]
                    c = prev[x - bpp] if x >= bpp else 0
                    p = a + b - c
                    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    pr = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                    line[x] = (line[x] + pr) & 255
            prev = line
            if bpp == 4:
                del line[3::4]
            out += line
        return cls(w, h, bytes(out))

    def save_png(self, path):
        rows = bytearray()
        stride = self.w * 3
        for y in range(self.h):
            rows.append(0)
            rows += self.data[y * stride:(y + 1) * stride]

        def chunk(tag, body):
            c = struct.pack(">I", len(body)) + tag + body
            return c + struct.pack(">I", zlib.crc32(tag + body) & 0xFFFFFFFF)

        png = (b"\x89PNG\r\n\x1a\n"
               + chunk(b"IHDR", struct.pack(">IIBBBBB", self.w, self.h, 8, 2, 0, 0, 0))
               + chunk(b"IDAT", zlib.compress(bytes(rows), 6))
               + chunk(b"IEND", b""))
        with open(path + ".tmp", "wb") as f:
            f.write(png)
        os.replace(path + ".tmp", path)

    def pixel(self, x, y):
        i = (y * self.w + x) * 3
        return tuple(self.data[i:i + 3])

    def fraction(self, color, tol=6, box=None, step=4):
        """Share of sampled pixels within `tol` of `color` (in box = (x0, y0, x1, y1))."""
        x0, y0, x1, y1 = box or (0, 0, self.w, self.h)
        hit = total = 0
        r0, g0, b0 = color
        d = self.data
        for y in range(y0, y1, step):
            base = y * self.w * 3
            for x in range(x0, x1, step):
                i = base + x * 3
                total += 1
                if abs(d[i] - r0) <= tol and abs(d[i + 1] - g0) <= tol and abs(d[i + 2] - b0) <= tol:
                    hit += 1
        return hit / total if total else 0.0

    def distinct_colors(self, step=7):
        seen = set()
        d = self.data
        for i in range(0, len(d) - 2, 3 * step):
            seen.add(d[i:i + 3])
            if len(seen) > 4096:
                break
        return len(seen)

    def runs(self, y, color, tol=0):
        """Horizontal runs [(x0, x1)) of `color` on row y."""
        out = []
        d = self.data
        base = y * self.w * 3
        start = None
        r0, g0, b0 = color
        for x in range(self.w):
            i = base + x * 3
            ok = abs(d[i] - r0) <= tol and abs(d[i + 1] - g0) <= tol and abs(d[i + 2] - b0) <= tol
            if ok and start is None:
                start = x
            elif not ok and start is not None:
                out.append((start, x))
                start = None
        if start is not None:
            out.append((start, self.w))
        return out

    def column_run(self, x, y, color, tol=0):
        """The vertical run of `color` through (x, y): (y0, y1) with y1 exclusive."""
        def same(yy):
            i = (yy * self.w + x) * 3
            d = self.data
            return (abs(d[i] - color[0]) <= tol and abs(d[i + 1] - color[1]) <= tol
                    and abs(d[i + 2] - color[2]) <= tol)
        if not same(y):
            return None
        y0 = y
        while y0 > 0 and same(y0 - 1):
            y0 -= 1
        y1 = y + 1
        while y1 < self.h and same(y1):
            y1 += 1
        return y0, y1

    def rects(self, color, min_w, max_w, min_h=20, max_h=10000, tol=0, box=None, ystep=3):
        """Rectangles filled with `color` — buttons, keys, meeting rows — even with text in
        them: a row run of min_w..max_w pixels gives the width, the column a little inside
        its left edge (clear of rounded corners and of centred text) the height. Returns
        [(x0, y0, x1, y1)] (exclusive ends) sorted top to bottom, then left to right."""
        x0b, y0b, x1b, y1b = box or (0, 0, self.w, self.h)
        found = {}
        for y in range(y0b, y1b, ystep):
            for a, b in self.runs(y, color, tol):
                if a < x0b or b > x1b or not (min_w <= b - a <= max_w):
                    continue
                col = a + min(14, (b - a) // 4)
                span = self.column_run(col, y, color, tol)
                if not span or not (min_h <= span[1] - span[0] <= max_h):
                    continue
                key = (a // 6, span[0] // 6)
                found.setdefault(key, (a, span[0], b, span[1]))
        rects = sorted(set(found.values()), key=lambda r: (r[1], r[0]))
        # The same rectangle seen from several rows: keep one per place.
        out = []
        for r in rects:
            if not any(abs(r[0] - o[0]) <= 6 and abs(r[1] - o[1]) <= 6 for o in out):
                out.append(r)
        # Rows of things (keys side by side) share a top within a few pixels.
        return sorted(out, key=lambda r: (r[1] // 20, r[0]))


def decode_qr(png_path):
    """Every QR code in a capture, as text (zbarimg)."""
    if shutil.which("zbarimg") is None:
        raise RuntimeError("zbarimg not installed (apt-get install zbar-tools)")
    res = subprocess.run(["zbarimg", "-q", "--raw", png_path], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL)
    return [l for l in res.stdout.decode(errors="replace").splitlines() if l.strip()]


def ocr(png_path):
    """The capture's text if tesseract is installed (optional, for better FAIL messages)."""
    if shutil.which("tesseract") is None:
        return None
    res = subprocess.run(["tesseract", png_path, "-", "--psm", "3"], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL)
    return res.stdout.decode(errors="replace")


# --------------------------------------------------------------------------- QEMU

class QMPError(RuntimeError):
    pass


class QMP:
    def __init__(self, path, timeout=30):
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        self.sock.settimeout(120)
        self.buf = b""
        self.events = []
        self._read()  # greeting
        self.cmd("qmp_capabilities")

    def _read(self):
        while b"\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise QMPError("QMP connection closed")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def cmd(self, name, **args):
        msg = {"execute": name}
        if args:
            msg["arguments"] = args
        self.sock.sendall(json.dumps(msg).encode() + b"\n")
        while True:
            reply = self._read()
            if "event" in reply:
                self.events.append(reply)
                continue
            if "error" in reply:
                raise QMPError("%s: %s" % (name, reply["error"].get("desc")))
            return reply.get("return")

    def wait_event(self, name, match=None, timeout=30):
        deadline = time.monotonic() + timeout
        while True:
            for i, ev in enumerate(self.events):
                if ev["event"] == name and (match is None or match(ev.get("data", {}))):
                    return self.events.pop(i)
            if time.monotonic() > deadline:
                raise QMPError("no %s event in %d s" % (name, timeout))
            self.sock.settimeout(max(0.1, deadline - time.monotonic()))
            try:
                ev = self._read()
                if "event" in ev:
                    self.events.append(ev)
            except socket.timeout:
                pass
            finally:
                self.sock.settimeout(120)


class Agent:
    """Commands over the second serial port (ttyS1; hvc0 on arm64) to tests/vm/guest/vm-harness-agent:
    `ID TIMEOUT BASE64(script)` in, `@@ID RC BASE64(output)@@` out."""

    def __init__(self, path):
        self.path = path
        self.sock = None
        self.buf = b""
        self.n = 0

    def _connect(self):
        if self.sock is None:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(self.path)
            self.sock = s

    def sh(self, script, timeout=60, check=False):
        """Runs a bash script as root in the guest: (exit status, output)."""
        self._connect()
        self.n += 1
        cid = "c%d" % self.n
        line = "%s %d %s\n" % (cid, timeout, base64.b64encode(script.encode()).decode())
        self.sock.sendall(line.encode())
        pat = re.compile(rb"@@" + cid.encode() + rb" (\d+) ([A-Za-z0-9+/=]*)@@")
        deadline = time.monotonic() + timeout + 15
        while True:
            m = pat.search(self.buf)
            if m:
                self.buf = self.buf[m.end():]
                rc, out = int(m.group(1)), base64.b64decode(m.group(2)).decode(errors="replace")
                if check and rc != 0:
                    raise RuntimeError("guest: `%s` exited %d: %s" % (script[:80], rc, out[-800:]))
                return rc, out
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("guest did not answer `%s` in %d s" % (script[:60], timeout))
            self.sock.settimeout(min(left, 5))
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                continue
            if not chunk:
                self.sock = None
                raise ConnectionError("serial socket closed")
            self.buf = (self.buf + chunk)[-8_000_000:]

    def wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                rc, out = self.sh("echo pong", timeout=3)
                if rc == 0 and "pong" in out:
                    return True
            except (TimeoutError, OSError):
                time.sleep(1)
        return False


class VM:
    def __init__(self, work, disk, name="vm", memory=2048, smp=2, extra_args=(), arch=AMD64):
        self.work, self.disk, self.name, self.arch = work, disk, name, arch
        self.memory, self.smp, self.extra = memory, smp, list(extra_args)
        self.qmp_path = os.path.join(work, "qmp.sock")
        self.ctl_path = os.path.join(work, "ctl.sock")
        self.con_path = os.path.join(work, "console.sock")
        self.proc = None
        self.sticks = {}
        self.capture_n = 0
        self._last = None

    def start(self, append=None):
        append = append or kernel_cmdline(self.arch)
        for p in (self.qmp_path, self.ctl_path, self.con_path):
            if os.path.exists(p):
                os.unlink(p)
        console_log = os.path.join(OUT, "serial-console-%s.log" % self.name)
        cmd = [self.arch.qemu] + self.arch.machine + [
            "-accel", "tcg", "-smp", str(self.smp), "-m", str(self.memory),
            "-display", "none", "-vga", "none", "-monitor", "none",
            "-kernel", os.path.join(self.work, "vmlinuz"),
            "-initrd", os.path.join(self.work, "initrd.img"),
            "-append", append,
            "-drive", "file=%s,format=raw,if=virtio,cache=writeback" % self.disk,
            "-device", "virtio-gpu-pci,xres=1280,yres=800",
            "-device", "qemu-xhci,id=xhci",
            "-device", "usb-tablet,id=tablet,bus=xhci.0",
            "-chardev", "socket,id=con,path=%s,server=on,wait=off,logfile=%s" % (self.con_path, console_log),
            "-serial", "chardev:con",
            "-chardev", "socket,id=ctl,path=%s,server=on,wait=off" % self.ctl_path,
        ] + self.arch.agent_device + [
            "-qmp", "unix:%s,server=on,wait=off" % self.qmp_path,
            "-rtc", "base=utc",
            "-nic", "none",
        ] + self.extra
        log("$ " + " ".join(cmd))
        self.stderr = open(os.path.join(OUT, "qemu-%s.stderr" % self.name), "w")
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=self.stderr,
                                     stderr=self.stderr)
        self.started = time.monotonic()
        self.qmp = QMP(self.qmp_path)
        self.agent = Agent(self.ctl_path)
        self.agent._connect()
        return self

    def uptime(self):
        return time.monotonic() - self.started

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def sh(self, script, timeout=60, check=False):
        return self.agent.sh(script, timeout=timeout, check=check)

    # -- screen

    def capture(self, name):
        """A screendump, saved as target/vm/NN-name.png; returns (Image, png path)."""
        ppm = os.path.join(self.work, "screen.ppm")
        self.qmp.cmd("screendump", filename=ppm)
        img = Image.from_ppm(ppm)
        if self._last is not None and self._last[0] == img.data:
            return img, self._last[1]  # the same picture as the last capture: one PNG
        self.capture_n += 1
        png = os.path.join(OUT, "%s-%03d-%s.png" % (self.name, self.capture_n, name))
        img.save_png(png)
        self._last = (img.data, png)
        return img, png

    # -- touch: the usb-tablet's absolute axes run 0..32767 over the whole screen

    def _abs(self, x, y, w=1280, h=800):
        return [{"type": "abs", "data": {"axis": "x", "value": round(x * 32767 / (w - 1))}},
                {"type": "abs", "data": {"axis": "y", "value": round(y * 32767 / (h - 1))}}]

    def press(self, x, y):
        self.qmp.cmd("input-send-event", events=self._abs(x, y))
        time.sleep(0.05)
        self.qmp.cmd("input-send-event", events=[{"type": "btn", "data": {"down": True, "button": "left"}}])

    def release(self):
        self.qmp.cmd("input-send-event", events=[{"type": "btn", "data": {"down": False, "button": "left"}}])

    def tap(self, x, y, hold=0.12, after=0.6):
        self.press(x, y)
        time.sleep(hold)
        self.release()
        time.sleep(after)

    # -- USB sticks

    def plug(self, image, sid):
        node = "stick-" + sid
        self.qmp.cmd("blockdev-add", **{"driver": "raw", "node-name": node,
                                        "file": {"driver": "file", "filename": os.path.abspath(image)}})
        self.qmp.cmd("device_add", driver="usb-storage", id="usb-" + sid, bus="xhci.0",
                     drive=node, removable=True)
        self.sticks[sid] = image
        return time.monotonic()

    def pull(self, sid):
        self.qmp.cmd("device_del", id="usb-" + sid)
        self.qmp.wait_event("DEVICE_DELETED", lambda d: d.get("device") == "usb-" + sid, timeout=30)
        self.qmp.cmd("blockdev-del", **{"node-name": "stick-" + sid})
        self.sticks.pop(sid, None)

    # -- power

    def power_cut(self):
        """QMP `quit`: the process ends at once; whatever the guest had not written is lost."""
        try:
            self.qmp.cmd("quit")
        except (QMPError, OSError):
            pass
        self._reap()

    def poweroff(self, timeout=120):
        if not self.alive():
            return
        try:
            self.sh("systemctl poweroff --no-block", timeout=10)
            self.proc.wait(timeout)
        except Exception:
            self.power_cut()
        self._reap()

    def _reap(self):
        if self.proc is not None:
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()  # our own QEMU, by its Popen handle
                self.proc.wait()
        self.stderr.close()
