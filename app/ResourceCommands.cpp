// `quarry apply`, `quarry get` and `quarry delete`: kubectl's verbs over resources.yaml and the keychain.
#include "Commands.h"
#include "CliSupport.h"
#include "ResourceTable.h"
#include "SecretCommands.h"

#include "config/ConfigStore.h"
#include "config/ManifestParser.h"
#include "config/ResourceKind.h"
#include "config/ManifestWriter.h"
#include "config/ReferenceCheck.h"
#include "config/YamlCodec.h"
#include "secrets/SecretCatalog.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace quarry::cli {

namespace {

Result<QByteArray> readManifestSource(const QString &file)
{
    QFile input;
    const bool opened = file == u"-"_s ? input.open(stdin, QIODevice::ReadOnly) : (input.setFileName(file),
                                                                                   input.open(QIODevice::ReadOnly));
    if (!opened)
        return Result<QByteArray>::failure(u"cannot read %1: %2"_s.arg(file, input.errorString()));
    return input.readAll();
}

QString describe(const config::Resource &resource)
{
    return config::pluralName(resource.kind()).chopped(1) + u'/' + resource.meta().name;
}

// "Warning: ..." on stderr for each dangling reference the applied resources hold.
void printReferenceWarnings(const config::ResourceSet &set, const QString &dir, const QList<config::Resource> &applied)
{
    QSet<QString> knownSecrets;
    for (const auto &entry : secrets::SecretCatalog(dir).entries())
        knownSecrets.insert(entry.id.toString());
    for (const auto &warning : config::ReferenceCheck::check(set, knownSecrets)) {
        for (const auto &resource : applied) {
            if (warning.isAbout(resource.kind(), resource.meta().ns, resource.meta().name))
                warn(u"Warning: %1: %2"_s.arg(describe(resource), warning.message));
        }
    }
}

} // namespace

int runApply(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Apply manifests (Gateway, HTTPRoute, AgentgatewayBackend, Backend, Secret)."_s);
    addConfigOption(parser);
    parser.addOption({{u"f"_s, u"filename"_s}, u"Manifest file, or - for standard input."_s, u"file"_s});
    QString error;
    if (!parseSubcommand(parser, arguments, &error))
        return fail(error);
    if (!parser.isSet(u"filename"_s))
        return fail(u"apply needs -f FILE (or -f - to read standard input)"_s);

    QList<config::Resource> all;
    for (const QString &file : parser.values(u"filename"_s)) {
        const auto bytes = readManifestSource(file);
        if (!bytes.ok())
            return fail(bytes.error());
        auto parsed = config::parseManifests(*bytes);
        if (!parsed.ok())
            return fail(parsed.error());
        all += *parsed;
    }
    if (all.isEmpty())
        return fail(u"no objects passed to apply"_s);

    QList<config::Resource> stored;
    QList<const config::SecretManifest *> secretsToStore;
    for (const auto &resource : std::as_const(all)) {
        if (const auto *secret = resource.as<config::SecretManifest>())
            secretsToStore.append(secret);
        else
            stored.append(resource);
    }

    const QString dir = configDir(parser);
    config::ConfigStore store(dir);
    if (const Status loaded = store.load(); !loaded.ok())
        return fail(loaded.error());
    if (!stored.isEmpty()) {
        if (const Status applied = store.apply(stored); !applied.ok())
            return fail(applied.error());
    }
    for (const auto &resource : std::as_const(stored)) {
        const QString note = resource.convertedFrom.isEmpty() ? QString()
                                                               : u" (converted from "_s + resource.convertedFrom + u')';
        say(describe(resource) + u" configured"_s + note);
    }
    for (const auto *secret : std::as_const(secretsToStore)) {
        if (const Status saved = storeSecret(dir, *secret); !saved.ok())
            return fail(saved.error());
        say(u"secret/"_s + secret->meta.name + u" configured (in the OS keychain)"_s);
    }
    printReferenceWarnings(store.snapshot(), dir, stored); // as kubectl does: stderr, exit code unchanged
    return 0;
}

int runGet(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"List resources: gateways, routes, backends or secrets."_s);
    addConfigOption(parser);
    addNamespaceOption(parser);
    parser.addOption({{u"o"_s, u"output"_s}, u"Output format: yaml or json."_s, u"format"_s});
    parser.addPositionalArgument(u"kind"_s, u"gateways, routes, backends or secrets"_s);
    parser.addPositionalArgument(u"name"_s, u"Only this resource."_s, u"[name]"_s);
    QString error;
    if (!parseSubcommand(parser, arguments, &error))
        return fail(error);
    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty() || positional.size() > 2)
        return fail(u"usage: quarry get gateways|routes|backends|secrets [NAME] [-o yaml|json]"_s);
    const auto kind = config::parseResourceKind(positional.first());
    if (!kind)
        return fail(u"the server doesn't have a resource type \"%1\" (use gateways, routes, backends or secrets)"_s.arg(
            positional.first()));
    const QString format = parser.value(u"output"_s);
    if (!format.isEmpty() && format != u"yaml"_s && format != u"json"_s)
        return fail(u"unknown output format \"%1\" (use yaml or json)"_s.arg(format));

    const QString dir = configDir(parser);
    const QString name = positional.value(1);
    const QString ns = parser.isSet(u"namespace"_s) ? namespaceOf(parser) : QString();

    QList<QJsonObject> objects;
    ResourceTable table;
    if (*kind == config::ResourceKind::Secret) {
        listSecrets(dir, ns, name, objects, table);
    } else {
        config::ConfigStore store(dir);
        if (const Status loaded = store.load(); !loaded.ok())
            return fail(loaded.error());
        for (const config::Resource &resource : config::ManifestWriter::resources(store.snapshot())) {
            if (resource.kind() != *kind)
                continue;
            if ((!name.isEmpty() && resource.meta().name != name) || (!ns.isEmpty() && resource.meta().ns != ns))
                continue;
            objects.append(config::ManifestWriter::toJson(resource));
            table.add(resource);
        }
    }
    if (!name.isEmpty() && objects.isEmpty())
        return fail(u"%1 \"%2\" not found"_s.arg(config::pluralName(*kind), name));

    if (format == u"yaml"_s) {
        std::fputs(config::YamlCodec::write(objects).constData(), stdout);
    } else if (format == u"json"_s) {
        QJsonArray items;
        for (const QJsonObject &object : std::as_const(objects))
            items.append(object);
        const QJsonDocument doc = objects.size() == 1 && !name.isEmpty()
                                      ? QJsonDocument(objects.first())
                                      : QJsonDocument(QJsonObject{{u"apiVersion"_s, u"v1"_s},
                                                                  {u"kind"_s, u"List"_s},
                                                                  {u"items"_s, items}});
        std::fputs(doc.toJson(QJsonDocument::Indented).constData(), stdout);
    } else if (objects.isEmpty()) {
        warn(u"No resources found."_s);
    } else {
        std::fputs(table.render(*kind).toUtf8().constData(), stdout);
    }
    return 0;
}

int runDelete(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Delete a resource."_s);
    addConfigOption(parser);
    addNamespaceOption(parser);
    parser.addPositionalArgument(u"kind"_s, u"gateway, route, backend or secret"_s);
    parser.addPositionalArgument(u"name"_s, u"The resource's name."_s);
    QString error;
    if (!parseSubcommand(parser, arguments, &error))
        return fail(error);
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 2)
        return fail(u"usage: quarry delete KIND NAME [-n NAMESPACE]"_s);
    const auto kind = config::parseResourceKind(positional.at(0));
    if (!kind)
        return fail(u"unknown resource type \"%1\" (use gateway, route, backend or secret)"_s.arg(positional.at(0)));
    const QString dir = configDir(parser);
    const QString ns = namespaceOf(parser);
    const QString name = positional.at(1);

    if (*kind == config::ResourceKind::Secret) {
        const Result<QString> removed = deleteSecret(dir, ns, name);
        if (!removed.ok())
            return fail(removed.error());
        say(u"secret/"_s + name + u" deleted ("_s + *removed + u')');
        return 0;
    }
    config::ConfigStore store(dir);
    if (const Status loaded = store.load(); !loaded.ok())
        return fail(loaded.error());
    if (const Status removed = store.remove(*kind, ns, name); !removed.ok())
        return fail(removed.error());
    say(config::pluralName(*kind).chopped(1) + u'/' + name + u" deleted"_s);
    return 0;
}

} // namespace quarry::cli
