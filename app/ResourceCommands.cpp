// `quarry apply`, `quarry get` and `quarry delete`: kubectl's verbs over resources.yaml and the keychain.
#include "CliSupport.h"
#include "Commands.h"
#include "ResourceTable.h"
#include "SecretCommands.h"

#include "config/ConfigStore.h"
#include "config/InlineKeys.h"
#include "config/ManifestParser.h"
#include "config/ManifestWriter.h"
#include "config/ReferenceCheck.h"
#include "config/ResourceKind.h"
#include "config/YamlCodec.h"
#include "secrets/KeychainSecretStore.h"
#include "secrets/SecretCatalog.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace quarry::cli {

namespace {

// "backend/bedrock", "secret/bedrock-secret": kind/name, as kubectl names what it changed.
QString describe(config::ResourceKind kind, const QString &name)
{
    return config::pluralName(kind).chopped(1) + u'/' + name;
}

QString describe(const config::Resource &resource)
{
    return describe(resource.kind(), resource.meta().name);
}

// kubectl's words: "created" when nothing of that kind, namespace and name is stored,
// "unchanged" when the stored object is the same, else "configured".
QString outcome(const config::ResourceSet &before, const config::Resource &resource)
{
    const auto stored = before.find(resource.kind(), resource.meta().ns, resource.meta().name);
    if (!stored)
        return u"created"_s;
    return stored->object == resource.object ? u"unchanged"_s : u"configured"_s;
}

// `-o name`: kind.group/name as kubectl prints it ("agentgatewaybackend.agentgateway.dev/bedrock",
// "secret/bedrock-secret" for the core group).
QString nameOf(const QJsonObject &object)
{
    const QString apiVersion = object.value(u"apiVersion"_s).toString();
    const qsizetype slash = apiVersion.indexOf(u'/');
    const QString group = slash < 0 ? QString() : u"."_s + apiVersion.left(slash);
    return object.value(u"kind"_s).toString().toLower() + group + u'/' +
           object.value(u"metadata"_s).toObject().value(u"name"_s).toString();
}

// "Warning: ..." on stderr for each dangling reference the applied resources hold.
void printReferenceWarnings(const config::ResourceSet &set, const QString &dir,
                            const QList<config::Resource> &applied)
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
    parser.setApplicationDescription(
        u"Apply manifests (Gateway, HTTPRoute, AgentgatewayBackend, Backend, ConfigMap, Secret)."_s);
    addConfigOption(parser);
    parser.addOption({{u"f"_s, u"filename"_s}, u"Manifest file, or - for standard input."_s, u"file"_s});
    parser.addOption({u"dry-run"_s,
                      u"none, client (check the manifests) or server (also check them against the stored "
                      "configuration, with its warnings); nothing is changed."_s,
                      u"mode"_s, u"none"_s});
    QString error;
    if (!parseSubcommand(parser, arguments, &error))
        return fail(error);
    if (!parser.isSet(u"filename"_s))
        return fail(u"apply needs -f FILE (or -f - to read standard input)"_s);
    const QString dryRun = parser.value(u"dry-run"_s);
    if (dryRun != u"none"_s && dryRun != u"client"_s && dryRun != u"server"_s)
        return fail(u"--dry-run must be none, client or server, not \"%1\""_s.arg(dryRun));
    const QString suffix = dryRun == u"client"_s   ? u" (dry run)"_s
                           : dryRun == u"server"_s ? u" (server dry run)"_s
                                                   : QString();

    const auto all = readManifestFiles(parser.values(u"filename"_s));
    if (!all.ok())
        return fail(all.error());
    if (all->isEmpty())
        return fail(u"no objects passed to apply"_s);

    QList<config::Resource> stored;
    QList<const config::SecretManifest *> secretsToStore;
    for (const auto &resource : *all) {
        if (const auto *secret = resource.as<config::SecretManifest>())
            secretsToStore.append(secret);
        else
            stored.append(resource);
    }

    const QString dir = configDir(parser);
    secrets::KeychainSecretStore keychain; // where inline API keys go (ConfigStore::apply)
    config::ConfigStore store(dir);
    store.setSecretStore(&keychain);
    if (const Status loaded = store.load(); !loaded.ok())
        return fail(loaded.error());
    const config::ResourceSet before = store.snapshot();
    QStringList outcomes;
    QList<config::Resource> asStored = stored; // inline keys as the references apply() stores
    config::InlineKeys::extract(asStored);
    for (const auto &resource : std::as_const(asStored)) {
        const QString note = resource.convertedFrom.isEmpty()
                                 ? QString()
                                 : u" (converted from "_s + resource.convertedFrom + u')';
        outcomes.append(describe(resource) + u' ' + outcome(before, resource) + note + suffix);
    }
    config::ResourceSet after = before;
    if (dryRun == u"server"_s) {
        const auto previewed = store.preview(stored);
        if (!previewed.ok())
            return fail(previewed.error());
        after = *previewed;
    } else if (dryRun == u"none"_s && !stored.isEmpty()) {
        if (const Status applied = store.apply(stored); !applied.ok())
            return fail(applied.error());
        after = store.snapshot();
    }
    for (const QString &line : std::as_const(outcomes))
        say(line);
    for (const auto *secret : std::as_const(secretsToStore)) {
        if (dryRun == u"none"_s) {
            if (const Status saved = storeSecret(dir, *secret); !saved.ok())
                return fail(saved.error());
        }
        say(describe(config::ResourceKind::Secret, secret->meta.name) +
            u" configured (in the OS keychain)"_s + suffix);
    }
    if (dryRun != u"client"_s)
        printReferenceWarnings(after, dir, stored); // as kubectl does: stderr, exit code unchanged
    return 0;
}

int runGet(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"List resources: gateways, routes, backends, configmaps or secrets."_s);
    addConfigOption(parser);
    addNamespaceOption(parser);
    parser.addOption({{u"A"_s, u"all-namespaces"_s}, u"List the resources of every namespace."_s});
    parser.addOption({{u"o"_s, u"output"_s}, u"Output format: yaml, json or name."_s, u"format"_s});
    parser.addPositionalArgument(u"kind"_s, u"gateways, routes, backends, configmaps or secrets"_s);
    parser.addPositionalArgument(u"name"_s, u"Only this resource."_s, u"[name]"_s);
    QString error;
    if (!parseSubcommand(parser, arguments, &error))
        return fail(error);
    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty() || positional.size() > 2)
        return fail(
            u"usage: quarry get gateways|routes|backends|configmaps|secrets [NAME] [-n NS | -A] [-o yaml|json|name]"_s);
    const auto kind = config::parseResourceKind(positional.first());
    if (!kind)
        return fail(
            u"the server doesn't have a resource type \"%1\" (use gateways, routes, backends, configmaps or secrets)"_s
                .arg(positional.first()));
    const QString format = parser.value(u"output"_s);
    if (!format.isEmpty() && format != u"yaml"_s && format != u"json"_s && format != u"name"_s)
        return fail(u"unknown output format \"%1\" (use yaml, json or name)"_s.arg(format));

    const QString dir = configDir(parser);
    const QString name = positional.value(1);
    const bool allNamespaces = parser.isSet(u"all-namespaces"_s);
    if (allNamespaces && !name.isEmpty())
        return fail(u"a resource cannot be retrieved by name across all namespaces (use -n NAMESPACE)"_s);
    // As kubectl: one namespace (-n, else the default one), or every namespace with -A.
    const QString ns = allNamespaces ? QString() : namespaceOf(parser);

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
            if ((!name.isEmpty() && resource.meta().name != name) ||
                (!ns.isEmpty() && resource.meta().ns != ns))
                continue;
            objects.append(config::ManifestWriter::toJson(resource));
            table.add(resource);
        }
    }
    if (!name.isEmpty() && objects.isEmpty())
        return fail(u"%1 \"%2\" not found"_s.arg(config::pluralName(*kind), name));

    if (format == u"name"_s) {
        for (const QJsonObject &object : std::as_const(objects))
            say(nameOf(object));
    } else if (format == u"yaml"_s) {
        std::fputs(config::YamlCodec::write(objects).constData(), stdout);
    } else if (format == u"json"_s) {
        QJsonArray items;
        for (const QJsonObject &object : std::as_const(objects))
            items.append(object);
        const QJsonDocument doc =
            objects.size() == 1 && !name.isEmpty()
                ? QJsonDocument(objects.first())
                : QJsonDocument(
                      QJsonObject{{u"apiVersion"_s, u"v1"_s}, {u"kind"_s, u"List"_s}, {u"items"_s, items}});
        std::fputs(doc.toJson(QJsonDocument::Indented).constData(), stdout);
    } else if (objects.isEmpty()) {
        warn(allNamespaces ? u"No resources found."_s : u"No resources found in %1 namespace."_s.arg(ns));
    } else {
        std::fputs(table.render(*kind).toUtf8().constData(), stdout);
    }
    return 0;
}

namespace {

// One deletion; the line to print, or why it failed.
Result<QString> deleteOne(const QString &dir, config::ConfigStore &store, config::ResourceKind kind,
                          const QString &ns, const QString &name)
{
    if (kind == config::ResourceKind::Secret) {
        const Result<QString> removed = deleteSecret(dir, ns, name);
        if (!removed.ok())
            return Result<QString>::failure(removed.error());
        return QString(describe(kind, name) + u" deleted ("_s + *removed + u')');
    }
    QStringList generated; // the keychain items holding the backend's inline keys go with it
    if (const auto stored = store.snapshot().find(kind, ns, name)) {
        if (const auto *backend = stored->as<config::AiBackend>())
            generated = config::InlineKeys::secretNames(*backend);
    }
    if (const Status removed = store.remove(kind, ns, name); !removed.ok())
        return Result<QString>::failure(removed.error());
    QString line = describe(kind, name) + u" deleted"_s;
    for (const QString &secret : std::as_const(generated)) {
        const Result<QString> removed = deleteSecret(dir, ns, secret);
        if (removed.ok())
            line += u"\nsecret/"_s + secret + u" deleted (its inline key)"_s;
        else
            line +=
                u"\nWarning: secret/"_s + secret + u" (its inline key) was not deleted: "_s + removed.error();
    }
    return line;
}

bool isNotFound(const QString &error)
{
    return error.contains(u"not found"_s);
}

} // namespace

int runDelete(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Delete a resource, or every resource a manifest file names."_s);
    addConfigOption(parser);
    addNamespaceOption(parser);
    parser.addOption({{u"f"_s, u"filename"_s},
                      u"Delete what this manifest file (or - for standard input) names."_s,
                      u"file"_s});
    parser.addOption({u"ignore-not-found"_s, u"A resource that does not exist is not an error."_s});
    parser.addPositionalArgument(u"kind"_s, u"gateway, route, backend or secret"_s, u"[kind]"_s);
    parser.addPositionalArgument(u"name"_s, u"The resource's name."_s, u"[name]"_s);
    QString error;
    if (!parseSubcommand(parser, arguments, &error))
        return fail(error);
    const QStringList positional = parser.positionalArguments();
    const bool fromFiles = parser.isSet(u"filename"_s);
    if (fromFiles ? !positional.isEmpty() : positional.size() != 2)
        return fail(u"usage: quarry delete KIND NAME [-n NAMESPACE] | quarry delete -f FILE"_s);

    struct Target
    {
        config::ResourceKind kind;
        QString ns;
        QString name;
    };
    QList<Target> targets;
    if (fromFiles) {
        const auto resources = readManifestFiles(parser.values(u"filename"_s));
        if (!resources.ok())
            return fail(resources.error());
        for (const config::Resource &resource : *resources)
            targets.append({resource.kind(), resource.meta().ns, resource.meta().name});
    } else {
        const auto kind = config::parseResourceKind(positional.at(0));
        if (!kind)
            return fail(u"unknown resource type \"%1\" (use gateway, route, backend or secret)"_s.arg(
                positional.at(0)));
        targets.append({*kind, namespaceOf(parser), positional.at(1)});
    }

    const QString dir = configDir(parser);
    config::ConfigStore store(dir);
    if (const Status loaded = store.load(); !loaded.ok())
        return fail(loaded.error());
    // As kubectl: every named resource is tried; the exit code says whether any failed.
    int status = 0;
    for (const Target &target : std::as_const(targets)) {
        const Result<QString> deleted = deleteOne(dir, store, target.kind, target.ns, target.name);
        if (deleted.ok())
            say(*deleted);
        else if (!(parser.isSet(u"ignore-not-found"_s) && isNotFound(deleted.error())))
            status = fail(deleted.error());
    }
    return status;
}

} // namespace quarry::cli
