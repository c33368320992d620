# U-Boot boot script for riscv64 (boot.scr): boots keel.itb from the partition the script came
# from. make flash-image builds it with
#     mkimage -A riscv -O linux -T script -C none -n "keel boot script" -d boot/riscv64-boot.cmd boot.scr
# and puts boot.scr and keel.itb on the first (FAT) partition of the disk image. U-Boot's distro
# boot (the default bootcmd) scans each disk for /boot.scr or /boot/boot.scr and sets devtype,
# devnum, distro_bootpart and prefix before it runs it.
#
# keel.itb is loaded at 0x90000000, well above the partition file's load address (0x80400000,
# boot/keel-riscv64.its explains the addresses). The DTB is U-Boot's own copy of the firmware DTB
# (OpenSBI's, with OpenSBI's /reserved-memory); U-Boot's riscv default fdt_high and initrd_high
# (all ones) make bootm use it and the partition file where they are.
echo Booting ${prefix}keel.itb from ${devtype} ${devnum}:${distro_bootpart}
load ${devtype} ${devnum}:${distro_bootpart} 0x90000000 ${prefix}keel.itb
bootm 0x90000000#keel 0x90000000#keel ${fdtcontroladdr}
