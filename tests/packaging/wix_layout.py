#!/usr/bin/env python3
"""Lays out the WiX source `cpack -G WIX` would compile for an install tree, for wixl to build.

CPack writes main.wxs from our template (packaging/windows/WIX.template.in) and generates the rest
from the install tree and the CPACK_* settings. This script does the generated part the way CMake's
Source/CPack/WiX/cmCPackWIXGenerator.cxx (WiX 3 branch, per-machine scope, no CPack components)
does, read from that source, with the same element ids:
  directories  INSTALL_ROOT under ProgramFiles64Folder; each folder CM_D + id
  files        one component per file, CM_C + id, holding File CM_F + id
  id           "P_" + the install-relative path with "/" as "." and characters outside
               [A-Za-z0-9_.] as "_" (hashed as "H_…" when long or mostly replaced)
  shortcuts    CPACK_PACKAGE_EXECUTABLES: component CM_SHORTCUT, Shortcut CM_S + id
  patch        CPACK_WIX_PATCH_FILE fragments go into the element with their Id; one that matches
               nothing is an error, as in cpack
  properties   CPACK_WIX_PROPERTY_*, and INSTALL_ROOT found again from the installed version
Our own files (template, patch, settings) are used as they are, never copied into this script.

wixl (msitools 0.101, Debian 12) compiles a subset of WiX 3. What it lacks is left out or moved, and
listed here so nothing is dropped silently:
  - UIRef, WixVariable: the WiX UI library (the licence dialog) is not part of wixl.
  - SetProperty (ARPINSTALLLOCATION): an Add/Remove Programs detail.
  - FeatureRef + Fragment/Feature: the ProductFeature is written inline in the Product.
  - absolute Source paths: written relative to OUT_DIR, where wixl must run.
  - Environment: written as Environment table rows (and the two standard actions that apply them)
    into environment.sql, for msibuild, exactly as WiX's compiler encodes them
    (wix3 src/tools/wix/Compiler.cs, ParseEnvironmentElement).

Usage: wix_layout.py CONFIG.json INSTALL_TREE OUT_DIR
Writes OUT_DIR/quarry.wxs and OUT_DIR/environment.sql.
"""
import hashlib
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

WIX_NS = "http://schemas.microsoft.com/wix/2006/wi"
# The standard actions' places in InstallExecuteSequence (Windows Installer's suggested sequence).
ENVIRONMENT_ACTIONS = {"RemoveEnvironmentStrings": 3300, "WriteEnvironmentStrings": 5200}
LEFT_OUT = {"UIRef", "WixVariable", "SetProperty", "FeatureRef"}


def fail(message):
    sys.exit("wix_layout.py: " + message)


class Ids:
    """cmCPackWIXGenerator::PathToId / CreateNewIdForPath / NormalizeComponentForId."""

    def __init__(self):
        self.by_path = {}
        self.ambiguity = {}

    def __call__(self, relative_path):
        if relative_path in self.by_path:
            return self.by_path[relative_path]
        parts = relative_path.split("/")
        replaced = 0
        normalized = []
        for part in parts:
            legal = re.sub(r"[^0-9A-Za-z_.]", "_", part)
            replaced += sum(1 for a, b in zip(part, legal) if a != b)
            normalized.append(legal)
        identifier = ".".join(normalized)
        prefix = "P"
        if replaced * 100 // len(identifier) > 33 or len(identifier) > 60:
            # CPack hashes the path as it sees it, relative to its staging directory.
            digest = hashlib.sha1(relative_path.encode()).hexdigest()[:7]
            name = normalized[-1]
            identifier = digest + "_" + name[:52] + ("..." if len(name) > 52 else "")
            prefix = "H"
        count = self.ambiguity.get(identifier, 0) + 1
        self.ambiguity[identifier] = count
        result = prefix + "_" + identifier + ("_%d" % count if count > 1 else "")
        self.by_path[relative_path] = result
        return result


def element(tag, parent=None, **attributes):
    node = ET.Element(tag, {k: v for k, v in attributes.items() if v is not None})
    if parent is not None:
        parent.append(node)
    return node


def local(tag):
    return tag.split("}", 1)[-1]


class Patch:
    """CPACK_WIX_PATCH_FILE: <CPackWiXPatch><CPackWiXFragment Id=…>children</…></…>."""

    def __init__(self, paths):
        self.fragments = {}
        for path in filter(None, paths.split(";")):
            root = ET.parse(path).getroot()
            if root.tag != "CPackWiXPatch":
                fail(f"{path}: the root element must be CPackWiXPatch")
            for fragment in root:
                if fragment.tag != "CPackWiXFragment" or "Id" not in fragment.attrib:
                    fail(f"{path}: expected CPackWiXFragment elements with an Id")
                if fragment.attrib["Id"] in self.fragments:
                    fail(f"{path}: fragment Id {fragment.attrib['Id']} given twice")
                self.fragments[fragment.attrib["Id"]] = list(fragment)
        self.applied = set()

    def apply(self, target_id, node):
        for child in self.fragments.get(target_id, []):
            node.append(child)
        if target_id in self.fragments:
            self.applied.add(target_id)

    def check_all_applied(self):
        unapplied = set(self.fragments) - self.applied
        if unapplied:
            # cmWIXPatch::CheckForUnappliedFragments: cpack fails the same way.
            fail("patch fragments match no element of the layout: " + ", ".join(sorted(unapplied)))


def configure_at_only(text, config):
    """cmCPackGenerator::ConfigureFile with @ONLY: @VAR@ from the CPack settings."""
    return re.sub(r"@([A-Za-z_0-9]+)@", lambda m: config.get(m.group(1), ""), text)


def wix_variables(config):
    """cmCPackWIXGenerator::CreateWiXVariablesIncludeFile, with the defaults cpack fills in."""
    names = ["CPACK_WIX_PRODUCT_GUID", "CPACK_WIX_UPGRADE_GUID", "CPACK_PACKAGE_VENDOR",
             "CPACK_PACKAGE_NAME", "CPACK_PACKAGE_VERSION", "CPACK_WIX_LICENSE_RTF",
             "CPACK_WIX_PRODUCT_ICON", "CPACK_WIX_UI_BANNER", "CPACK_WIX_UI_DIALOG",
             "CPACK_WIX_PROGRAM_MENU_FOLDER", "CPACK_WIX_UI_REF", "CPACK_WIX_INSTALL_SCOPE",
             "CPACK_WIX_CAB_PER_COMPONENT"]
    variables = {name: config[name] for name in names if name in config}
    variables.setdefault("CPACK_WIX_LICENSE_RTF", "License.rtf")  # cpack converts the .txt itself
    variables.setdefault("CPACK_WIX_PROGRAM_MENU_FOLDER", config["CPACK_PACKAGE_NAME"])
    variables.setdefault("CPACK_WIX_UI_REF", "WixUI_InstallDir")
    return variables


def substitute(text, variables):
    def value(match):
        name = match.group(1)
        if name not in variables:
            fail(f"undefined preprocessor variable $(var.{name}) in the template")
        return variables[name]
    return re.sub(r"\$\(var\.([A-Za-z_0-9]+)\)", value, text)


def properties(config):
    """cmCPackWIXGenerator::CreateWiXPropertiesIncludeFile."""
    nodes = []
    for name in sorted(config):
        if name.startswith("CPACK_WIX_PROPERTY_"):
            nodes.append(element("Property", Id=name[len("CPACK_WIX_PROPERTY_"):], Value=config[name]))
    if "CPACK_WIX_PROPERTY_ARPINSTALLLOCATION" not in config:
        prop = element("Property", Id="INSTALL_ROOT", Secure="yes")
        element("RegistrySearch", prop, Id="FindInstallLocation", Root="HKLM",
                Key="Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\[WIX_UPGRADE_DETECTED]",
                Name="InstallLocation", Type="raw")
        nodes.append(prop)
        nodes.append(element("SetProperty", Id="ARPINSTALLLOCATION", Value="[INSTALL_ROOT]",
                             After="CostFinalize"))
    return nodes


def main_product(config, patch):
    """The template, configured, its $(var.…) and <?include?> resolved, as a Product element."""
    with open(config["CPACK_WIX_TEMPLATE"], encoding="utf-8") as f:
        text = configure_at_only(f.read(), config)
    variables = wix_variables(config)
    parser = ET.XMLParser(target=ET.TreeBuilder(insert_pis=True))
    root = ET.fromstring(text.encode("utf-8"), parser=parser)
    products = [node for node in root if local(node.tag) == "Product"]
    if len(products) != 1:
        fail("the template must hold one Product")
    product = products[0]

    def resolve(node):
        out = element(local(node.tag), **{k: substitute(v, variables) for k, v in node.attrib.items()})
        out.text = substitute(node.text, variables) if node.text and node.text.strip() else None
        for child in node:
            if child.tag is ET.ProcessingInstruction:
                directive, _, argument = child.text.partition(" ")
                if directive != "include":
                    fail(f"unexpected preprocessor directive <?{child.text}?> in the template")
                name = argument.strip().strip('"')
                if name == "properties.wxi":
                    out.extend(properties(config))
                elif name == "product_fragment.wxi":
                    holder = element("Holder")
                    patch.apply("#PRODUCT", holder)
                    out.extend(list(holder))
                else:
                    fail(f"the template includes {name}, which cpack does not write")
            elif child.tag is not ET.Comment:
                out.append(resolve(child))
        return out

    # The variables come from cpack_variables.wxi, included before the Wix element.
    if not re.search(r'<\?include\s+"?cpack_variables\.wxi"?\s*\?>\s*(<!--.*?-->\s*)*<Wix', text, re.S):
        fail("the template does not include cpack_variables.wxi before Wix")
    return resolve(product)


def layout(config, tree, patch):
    """Directories, components and the ProductFeature (AddDirectoryAndFileDefinitions et al.)."""
    ids = Ids()
    target = element("Directory", Id="TARGETDIR", Name="SourceDir")
    # GetRootFolderId: ProgramFiles64Folder for a 64-bit (CPACK_WIX_SIZEOF_VOID_P 8) machine install.
    program_files = element("Directory", target, Id="ProgramFiles64Folder")
    parts = [p for p in config["CPACK_PACKAGE_INSTALL_DIRECTORY"].split("/") if p]
    parent = program_files
    for i, part in enumerate(parts):
        parent = element("Directory", parent, Id="INSTALL_ROOT" if i == len(parts) - 1 else f"INSTALL_PREFIX_{i + 1}",
                         Name=part)
    install_root = parent

    components = []  # (directory id, Component)
    executables = config.get("CPACK_PACKAGE_EXECUTABLES", "").split(";")
    executables = dict(zip(executables[0::2], executables[1::2])) if executables != [""] else {}
    shortcuts = []  # (file id, label, working directory id)

    def walk(directory, directory_id, node):
        for name in sorted(os.listdir(directory)):
            full = os.path.join(directory, name)
            relative = os.path.relpath(full, tree).replace(os.sep, "/")
            file_id = ids(relative)
            if os.path.isdir(full):
                sub = element("Directory", node, Id="CM_D" + file_id, Name=name)
                patch.apply("CM_D" + file_id, sub)
                walk(full, "CM_D" + file_id, sub)
                continue
            component = element("Component", Id="CM_C" + file_id, Guid="*")
            patch.apply("CM_C" + file_id, component)
            file_node = element("File", component, Id="CM_F" + file_id, Source=os.path.abspath(full),
                                KeyPath="yes")
            patch.apply("CM_F" + file_id, file_node)
            components.append((directory_id, component))
            for executable, label in executables.items():
                if name.lower() == executable.lower() + ".exe":
                    shortcuts.append((file_id, label, directory_id))

    walk(tree, "INSTALL_ROOT", install_root)

    menu_folder = config.get("CPACK_WIX_PROGRAM_MENU_FOLDER", config["CPACK_PACKAGE_NAME"])
    if shortcuts:
        menu = element("Directory", target, Id="ProgramMenuFolder")
        menu_id = "ProgramMenuFolder"
        if menu_folder != ".":
            element("Directory", menu, Id="PROGRAM_MENU_FOLDER", Name=menu_folder)
            menu_id = "PROGRAM_MENU_FOLDER"
        component = element("Component", Id="CM_SHORTCUT", Guid="*")
        patch.apply("CM_SHORTCUT", component)
        for index, (file_id, label, working_dir) in enumerate(shortcuts):
            element("Shortcut", component, Id="CM_S" + file_id, Name=label, Target=f"[#CM_F{file_id}]",
                    WorkingDirectory=working_dir)
        element("RegistryValue", component, Root="HKCU",
                Key=f"Software\\{config['CPACK_PACKAGE_VENDOR']}\\{config['CPACK_PACKAGE_NAME']}",
                Name="installed", Type="integer", Value="1", KeyPath="yes")
        if menu_folder != ".":
            element("RemoveFolder", component, Id="CM_REMOVE_PROGRAM_MENU_FOLDER", On="uninstall")
            element("Shortcut", component, Id="UNINSTALL", Name="Uninstall " + config["CPACK_PACKAGE_NAME"],
                    Description="Uninstalls " + config["CPACK_PACKAGE_NAME"],
                    Target="[SystemFolder]msiexec.exe", Arguments="/x [ProductCode]")
        components.append((menu_id, component))

    feature = element("Feature", Id="ProductFeature", Display="expand", Absent="disallow",
                      ConfigurableDirectory="INSTALL_ROOT", Title=config["CPACK_PACKAGE_NAME"], Level="1")
    patch.apply("#PRODUCTFEATURE", feature)
    refs = []
    for directory_id, component in components:
        ref = element("DirectoryRef", Id=directory_id)
        ref.append(component)
        refs.append(ref)
        element("ComponentRef", feature, Id=component.attrib["Id"])
    return target, refs, feature


def environment_sql(product):
    """Moves Environment elements out of their components into Environment table rows."""
    rows = []
    for component in product.iter("Component"):
        for env in [child for child in component if child.tag == "Environment"]:
            component.remove(env)
            a = env.attrib
            action = {"create": "+", "set": "=", "remove": "!"}.get(a.get("Action", ""), "")
            uninstall = "" if a.get("Permanent") == "yes" else "-"
            system = "*" if a.get("System") == "yes" else ""
            separator = a.get("Separator", ";")
            value = a.get("Value", "")
            part = a.get("Part")
            if part == "first":
                value = value + separator + "[~]"
            elif part == "last":
                value = "[~]" + separator + value
            elif part not in (None, "all"):
                fail(f"Environment {a.get('Id')}: Part must be all, first or last")
            rows.append((a["Id"], action + uninstall + system + a["Name"], value, component.attrib["Id"]))
    if not rows:
        return []

    def quote(text):
        return "'" + text.replace("'", "''") + "'"
    queries = ["CREATE TABLE `Environment` (`Environment` CHAR(72) NOT NULL, `Name` CHAR(255) NOT NULL "
               "LOCALIZABLE, `Value` CHAR(255) LOCALIZABLE, `Component_` CHAR(72) NOT NULL "
               "PRIMARY KEY `Environment`)"]
    for row in rows:
        queries.append("INSERT INTO `Environment` (`Environment`, `Name`, `Value`, `Component_`) VALUES ("
                       + ", ".join(quote(v) for v in row) + ")")
    for action, sequence in ENVIRONMENT_ACTIONS.items():
        queries.append(f"INSERT INTO `InstallExecuteSequence` (`Action`, `Sequence`) VALUES ('{action}', {sequence})")
    return queries


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    config_path, tree, out_dir = sys.argv[1:]
    with open(config_path, encoding="utf-8") as f:
        config = json.load(f)
    if config.get("CPACK_WIX_VERSION", "3") != "3":
        fail("this layout follows CPack's WiX 3 sources; CPACK_WIX_VERSION is " + config["CPACK_WIX_VERSION"])
    if config.get("CPACK_WIX_SIZEOF_VOID_P") != "8":
        fail("the MSI is 64-bit: CPACK_WIX_SIZEOF_VOID_P must be 8")
    patch = Patch(config.get("CPACK_WIX_PATCH_FILE", ""))
    product = main_product(config, patch)
    target, refs, feature = layout(config, tree, patch)
    patch.check_all_applied()

    left_out = [child for child in product if child.tag in LEFT_OUT]
    for child in left_out:
        product.remove(child)
    product.append(target)
    product.extend(refs)
    product.append(feature)
    queries = environment_sql(product)

    # wixl 0.101 cannot open an absolute Source path (GLib's g_file_get_child refuses it): give
    # every path relative to OUT_DIR, and run wixl there.
    for node in product.iter():
        for attribute in ("Source", "SourceFile"):
            if attribute in node.attrib:
                node.attrib[attribute] = os.path.relpath(node.attrib[attribute], out_dir)

    wix = element("Wix", xmlns=WIX_NS)
    wix.append(product)
    ET.indent(wix)
    os.makedirs(out_dir, exist_ok=True)
    ET.ElementTree(wix).write(os.path.join(out_dir, "quarry.wxs"), encoding="utf-8", xml_declaration=True)
    with open(os.path.join(out_dir, "environment.sql"), "w", encoding="utf-8") as f:
        f.write("".join(q + "\n" for q in queries))
    print("wix_layout.py: left out for wixl: " + ", ".join(sorted({c.tag for c in left_out}))
          + f"; {len(queries)} Environment queries for msibuild")


if __name__ == "__main__":
    main()
