// `quarry export`: the stored resources as manifests for an agentgateway or kgateway cluster.
#include "CliSupport.h"
#include "Commands.h"

#include "config/ConfigStore.h"
#include "config/ResourceKind.h"
#include "config/export/ClusterExporter.h"
#include "secrets/SecretCatalog.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSaveFile>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace quarry::cli {
namespace {

// Key names of the user's Secrets (the catalogue holds names only, never values).
QHash<QString, QStringList> secretKeys(const QString &dir)
{
    QHash<QString, QStringList> keys;
    for (const auto &entry : secrets::SecretCatalog(dir).entries())
        keys.insert(entry.id.toString(), entry.keys);
    return keys;
}

Status writeFile(const QString &path, const QByteArray &content)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) != content.size() || !file.commit())
        return Status::failure(u"cannot write %1: %2"_s.arg(path, file.errorString()));
    return Ok{};
}

// -o DIR: one file per resource ("httproute-bedrock.yaml"), and the kubectl script if any.
Status writeDirectory(const QString &path, const config::ExportedManifests &manifests)
{
    if (!QDir().mkpath(path))
        return Status::failure(u"cannot create the directory %1"_s.arg(path));
    const QDir dir(path);
    for (const config::ExportedDocument &document : manifests.documents) {
        const QString name = document.object.value(u"kind"_s).toString().toLower() + u'-' +
                             document.object.value(u"metadata"_s).toObject().value(u"name"_s).toString() +
                             u".yaml"_s;
        if (Status written = writeFile(dir.filePath(name), config::ExportedManifests::yaml(document));
            !written.ok())
            return written;
    }
    if (!manifests.secretCommands.isEmpty())
        return writeFile(dir.filePath(u"create-secrets.sh"_s), manifests.secretScript());
    return Ok{};
}

} // namespace

int runExport(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Write the configuration as manifests for a cluster: Gateway, HTTPRoute and the backends in the "
        "target's shape. Desktop-only settings are left out with a warning; Secrets get placeholders, "
        "never values."_s);
    addConfigOption(parser);
    parser.addOption({u"target"_s, u"agentgateway, kgateway-v2.2 or kgateway-v2.1."_s, u"target"_s});
    parser.addOption({{u"n"_s, u"namespace"_s},
                      u"Put every resource in this namespace (default: each keeps its own)."_s,
                      u"namespace"_s});
    parser.addOption({{u"o"_s, u"output"_s},
                      u"A file, or a directory (existing, or ending in /) for one file per resource. "
                      "Default: standard output."_s,
                      u"path"_s});
    parser.addOption({u"secrets"_s,
                      u"manifest (a Secret per referenced secret, with placeholders) or kubectl "
                      "(`kubectl create secret generic` commands reading environment variables)."_s,
                      u"mode"_s, u"manifest"_s});
    QString error;
    if (!parseSubcommand(parser, arguments, &error))
        return fail(error);
    if (!parser.positionalArguments().isEmpty())
        return fail(u"export takes no arguments (did you mean --target %1?)"_s.arg(
            parser.positionalArguments().first()));
    if (!parser.isSet(u"target"_s))
        return fail(u"export needs --target agentgateway|kgateway-v2.2|kgateway-v2.1"_s);
    const auto target = config::parseExportTarget(parser.value(u"target"_s));
    if (!target)
        return fail(u"unknown target \"%1\" (use %2)"_s.arg(parser.value(u"target"_s),
                                                            config::exportTargetNames().join(u", "_s)));
    const QString secretsMode = parser.value(u"secrets"_s);
    if (secretsMode != "manifest"_L1 && secretsMode != "kubectl"_L1)
        return fail(u"--secrets must be manifest or kubectl, not \"%1\""_s.arg(secretsMode));

    // A namespace no cluster accepts would make every manifest fail there: refuse it here.
    static const QRegularExpression kNamespace(u"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$"_s);
    if (parser.isSet(u"namespace"_s) && !kNamespace.match(parser.value(u"namespace"_s)).hasMatch())
        return fail(u"\"%1\" is not a namespace name (lower-case letters, digits and '-', at most 63)"_s.arg(
            parser.value(u"namespace"_s)));

    const QString dir = configDir(parser);
    config::ConfigStore store(dir);
    if (const Status loaded = store.load(); !loaded.ok())
        return fail(loaded.error());
    config::ExportOptions options;
    options.target = *target;
    options.ns = parser.value(u"namespace"_s);
    options.secrets = secretsMode == "kubectl"_L1 ? config::ExportOptions::Secrets::Kubectl
                                                  : config::ExportOptions::Secrets::Manifest;
    options.secretKeys = secretKeys(dir);
    const config::ExportedManifests manifests = config::ClusterExporter::run(store.snapshot(), options);

    for (const QString &warning : manifests.warnings)
        warn(u"Warning: "_s + warning);
    const QString output = parser.value(u"output"_s);
    if (output.isEmpty()) {
        std::fputs(manifests.yaml().constData(), stdout);
        return 0;
    }
    const bool toDirectory = output.endsWith(u'/') || QFileInfo(output).isDir();
    const Status written =
        toDirectory ? writeDirectory(output, manifests) : writeFile(output, manifests.yaml());
    if (!written.ok())
        return fail(written.error());
    say(u"wrote %1 manifests to %2"_s.arg(manifests.documents.size()).arg(output));
    for (const QString &command : manifests.secretCommands)
        say(command);
    return 0;
}

} // namespace quarry::cli
