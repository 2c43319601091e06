#!/usr/bin/env python3
"""Checks an MSI's tables against what installing Quarry must do, with msitools (msiinfo,
msiextract). Works on the stand-in MSI check_wix.sh builds with wixl and on the real one
`cpack -G WIX` builds (release-windows.yml runs it on that).

  - per machine (ALLUSERS=1), 64-bit, product name, publisher, version, ARP links, icon
  - the UpgradeCode, with an Upgrade row that finds and removes any older version and one that
    only detects a newer one, which a launch condition refuses with a message
  - every file of the expected list, under ProgramFiles64Folder/<install dir>, in the cabinet
  - a Start-menu shortcut "<product name>" to the window program (quarryw.exe)
  - the folder of quarry.exe appended to the system PATH while quarry.exe is installed

Usage: check_msi.py MSI CONFIG.json EXPECTED_FILES
CONFIG.json is the CPack configuration the MSI was built from (wix_config.cmake).
"""
import json
import os
import subprocess
import sys
import tempfile

# The program the terminal must find on PATH, and the one the Start menu opens (no console).
CONSOLE_PROGRAM = "quarry.exe"
WINDOW_PROGRAM = "quarryw.exe"
# msidbUpgradeAttributes (Windows Installer Upgrade table).
ONLY_DETECT = 0x2
VERSION_MIN_INCLUSIVE = 0x100
VERSION_MAX_INCLUSIVE = 0x200

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
    return condition


def msiinfo(*args):
    # In a scratch folder: exporting a table with binary columns (Icon) writes them there as files.
    with tempfile.TemporaryDirectory() as scratch:
        result = subprocess.run(["msiinfo", *args], capture_output=True, text=True, timeout=60, cwd=scratch)
    if result.returncode != 0:
        sys.exit(f"check_msi.py: msiinfo {' '.join(args)} failed: {result.stderr.strip()}")
    return result.stdout


def table(msi, name):
    """Rows of an MSI table as dicts; an absent table is empty. msiinfo export writes the
    column names, their types, the table name and key, then one tab-separated row per line."""
    if name not in msiinfo("tables", msi).split():
        return []
    lines = msiinfo("export", msi, name).replace("\r", "").split("\n")
    columns = lines[0].split("\t")
    return [dict(zip(columns, line.split("\t"))) for line in lines[3:] if line]


def long_name(default_dir):
    """A Directory/File name column holds "short|long" when the long one is not 8.3."""
    return default_dir.split("|")[-1]


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    msi, config_path, expected_path = sys.argv[1:]
    msi = os.path.abspath(msi)  # msiinfo runs in a scratch folder
    with open(config_path, encoding="utf-8") as f:
        config = json.load(f)
    with open(expected_path, encoding="utf-8") as f:
        expected = [line.strip() for line in f if line.strip() and not line.startswith("#")]

    name = config["CPACK_PACKAGE_NAME"]
    version = config["CPACK_PACKAGE_VERSION"]
    upgrade_code = "{" + config["CPACK_WIX_UPGRADE_GUID"].upper() + "}"
    product_code = "{" + config["CPACK_WIX_PRODUCT_GUID"].upper() + "}"

    # Identity and scope.
    props = {row["Property"]: row["Value"] for row in table(msi, "Property")}
    check(props.get("ProductCode") == product_code, f"ProductCode {props.get('ProductCode')}, expected {product_code}")
    check(props.get("UpgradeCode") == upgrade_code, f"UpgradeCode {props.get('UpgradeCode')}, expected {upgrade_code}")
    check(props.get("ProductVersion") == version, f"ProductVersion {props.get('ProductVersion')}, expected {version}")
    check(props.get("ProductName") == name, f"ProductName {props.get('ProductName')}, expected {name}")
    check(props.get("Manufacturer") == config["CPACK_PACKAGE_VENDOR"], f"Manufacturer {props.get('Manufacturer')}")
    check(props.get("ALLUSERS") == "1", f"ALLUSERS is {props.get('ALLUSERS')!r}: not a per-machine install")
    for key, value in config.items():
        if key.startswith("CPACK_WIX_PROPERTY_"):
            prop = key[len("CPACK_WIX_PROPERTY_"):]
            check(props.get(prop) == value, f"property {prop} is {props.get(prop)!r}, expected {value!r}")
    icons = {row["Name"] for row in table(msi, "Icon")}
    check(props.get("ARPPRODUCTICON") in icons, "Add/Remove Programs icon (ARPPRODUCTICON) is not in the Icon table")
    suminfo = msiinfo("suminfo", msi)
    check("Template: x64;" in suminfo, "the package is not marked 64-bit (summary Template x64)")

    # Upgrade in place, downgrade refused.
    upgrades = [row for row in table(msi, "Upgrade") if row["UpgradeCode"].upper() == upgrade_code]
    older = [r for r in upgrades if r["ActionProperty"] == "WIX_UPGRADE_DETECTED"]
    newer = [r for r in upgrades if r["ActionProperty"] == "WIX_DOWNGRADE_DETECTED"]
    if check(len(older) == 1, f"expected one Upgrade row that finds older versions, got {older}"):
        row = older[0]
        attributes = int(row["Attributes"] or 0)
        check(row["VersionMin"] == "" and row["VersionMax"] == version
              and not attributes & (ONLY_DETECT | VERSION_MAX_INCLUSIVE),
              f"the upgrade row must match every version below {version} and remove it: {row}")
    if check(len(newer) == 1, f"expected one Upgrade row that detects newer versions, got {newer}"):
        row = newer[0]
        attributes = int(row["Attributes"] or 0)
        check(row["VersionMin"] == version and row["VersionMax"] == ""
              and attributes & ONLY_DETECT and not attributes & VERSION_MIN_INCLUSIVE,
              f"the downgrade row must only detect versions above {version}: {row}")
    conditions = {row["Condition"]: row["Description"] for row in table(msi, "LaunchCondition")}
    check("newer version" in conditions.get("NOT WIX_DOWNGRADE_DETECTED", ""),
          f"no launch condition refusing a downgrade with a message: {conditions}")
    sequence = {row["Action"] for row in table(msi, "InstallExecuteSequence")}
    check("RemoveExistingProducts" in sequence, "RemoveExistingProducts is not scheduled: no upgrade in place")

    # Directories and files: Program Files\<install dir>\...
    directories = {row["Directory"]: row for row in table(msi, "Directory")}

    def path_of(directory_id):
        parts = []
        while directory_id and directory_id in directories:
            row = directories[directory_id]
            if directory_id in ("ProgramFiles64Folder", "ProgramMenuFolder"):
                parts.append(directory_id)
                break
            default = long_name(row["DefaultDir"])
            if default != ".":
                parts.append(default)
            directory_id = row["Directory_Parent"]
        return "/".join(reversed(parts))

    check(directories.get("ProgramFiles64Folder", {}).get("Directory_Parent") == "TARGETDIR",
          "ProgramFiles64Folder is not under TARGETDIR")
    install_root = "ProgramFiles64Folder/" + config["CPACK_PACKAGE_INSTALL_DIRECTORY"]
    check(path_of("INSTALL_ROOT") == install_root, f"INSTALL_ROOT is {path_of('INSTALL_ROOT')}, expected {install_root}")
    components = {row["Component"]: row for row in table(msi, "Component")}
    files = {}
    for row in table(msi, "File"):
        component = components.get(row["Component_"])
        if check(component is not None, f"file {row['File']} has no component"):
            files[path_of(component["Directory_"]) + "/" + long_name(row["FileName"])] = row
    for path in expected:
        check(f"{install_root}/{path}" in files, f"not in the File table: {install_root}/{path}")

    def file_row(program):
        matches = [row for path, row in files.items() if path.startswith(install_root + "/")
                   and os.path.basename(path).lower() == program]
        check(len(matches) == 1, f"expected one {program} in the package, found {len(matches)}")
        return matches[0] if matches else None

    # Start menu: "<name>" opens the window program, from the folder it lives in.
    window = file_row(WINDOW_PROGRAM)
    if window:
        shortcuts = [row for row in table(msi, "Shortcut") if row["Target"] == f"[#{window['File']}]"]
        if check(len(shortcuts) == 1, f"expected one shortcut to {WINDOW_PROGRAM}, found {shortcuts}"):
            shortcut = shortcuts[0]
            check(long_name(shortcut["Name"]) == name, f"the shortcut is named {shortcut['Name']!r}, expected {name!r}")
            check(path_of(shortcut["Directory_"]).startswith("ProgramMenuFolder"),
                  f"the shortcut is in {path_of(shortcut['Directory_'])}, not the Start menu's programs")
            check(shortcut["WkDir"] == components[window["Component_"]]["Directory_"],
                  "the shortcut does not start in the program's folder")

    # PATH: the folder of quarry.exe, appended to the system variable, removed on uninstall.
    console = file_row(CONSOLE_PROGRAM)
    if console:
        component = components[console["Component_"]]
        entries = [row for row in table(msi, "Environment") if row["Component_"] == console["Component_"]]
        if check(len(entries) == 1, f"expected one Environment row with {CONSOLE_PROGRAM}'s component, got {entries}"):
            entry = entries[0]
            flags = entry["Name"][:len(entry["Name"]) - len(entry["Name"].lstrip("=+!-*"))]
            variable = entry["Name"][len(flags):]
            check(variable.upper() == "PATH", f"the Environment row sets {variable}, not PATH")
            check("*" in flags, "the PATH entry is the user's, not the system's (no '*')")
            check("=" in flags and "!" not in flags, f"the PATH entry is not set on install ({flags!r})")
            check("-" in flags, "the PATH entry stays after uninstall (no '-')")
            check(entry["Value"] == f"[~];[{component['Directory_']}]",
                  f"PATH gets {entry['Value']!r}, not [~];[{component['Directory_']}] (appended: the folder of {CONSOLE_PROGRAM})")
        check({"WriteEnvironmentStrings", "RemoveEnvironmentStrings"} <= sequence,
              "the Environment table is not applied (Write/RemoveEnvironmentStrings missing)")

    # The cabinet holds every file: extract and look.
    with tempfile.TemporaryDirectory() as out:
        result = subprocess.run(["msiextract", "-C", out, msi], capture_output=True, text=True, timeout=300)
        check(result.returncode == 0, f"msiextract failed: {result.stderr.strip()}")
        root = os.path.join(out, config["CPACK_PACKAGE_INSTALL_DIRECTORY"])
        for path in expected:
            full = os.path.join(root, path)
            check(os.path.isfile(full) and os.path.getsize(full) > 0, f"not extracted (or empty): {path}")

    for message in failures:
        print("FAIL:", message, file=sys.stderr)
    if failures:
        sys.exit(1)
    print(f"check_msi.py: {os.path.basename(msi)}: {name} {version} {product_code}, upgrade code {upgrade_code}, "
          f"{len(files)} files, shortcut, PATH entry")


if __name__ == "__main__":
    main()
