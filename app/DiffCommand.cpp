// `quarry diff -f FILE`: what `quarry apply -f FILE` would change, as kubectl diff shows it — a
// unified diff of each object as stored ("live") and as it would be after the apply ("merged").
// Exit status as kubectl's: 0 no differences, 1 differences, 2 an error (fail() + 1).
#include "CliSupport.h"
#include "Commands.h"

#include "config/ConfigStore.h"
#include "config/ManifestWriter.h"
#include "config/ResourceKind.h"
#include "config/UnifiedDiff.h"

#include <cstdio>
#include <optional>

using namespace Qt::StringLiterals;

namespace quarry::cli {

namespace {

QStringList yamlLines(const std::optional<config::Resource> &resource)
{
    if (!resource)
        return {};
    QStringList lines = QString::fromUtf8(config::ManifestWriter::toYaml({*resource})).split(u'\n');
    while (!lines.isEmpty() && (lines.last().isEmpty() || lines.last() == u"---"_s))
        lines.removeLast();
    if (!lines.isEmpty() && lines.first() == u"---"_s)
        lines.removeFirst();
    return lines;
}

} // namespace

int runDiff(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Show what `quarry apply -f` would change (exit 1 when it would)."_s);
    addConfigOption(parser);
    parser.addOption({{u"f"_s, u"filename"_s}, u"Manifest file, or - for standard input."_s, u"file"_s});
    QString error;
    if (!parseSubcommand(parser, arguments, &error))
        return fail(error) + 1;
    if (!parser.isSet(u"filename"_s))
        return fail(u"diff needs -f FILE (or -f - to read standard input)"_s) + 1;
    const auto all = readManifestFiles(parser.values(u"filename"_s));
    if (!all.ok())
        return fail(all.error()) + 1;

    QList<config::Resource> stored;
    for (const config::Resource &resource : *all) {
        if (resource.kind() == config::ResourceKind::Secret)
            warn(u"secret/%1: kept in the OS keychain; its values are never shown or compared"_s.arg(
                resource.meta().name));
        else
            stored.append(resource);
    }
    config::ConfigStore store(configDir(parser));
    if (const Status loaded = store.load(); !loaded.ok())
        return fail(loaded.error()) + 1;
    const config::ResourceSet live = store.snapshot();
    const auto merged = store.preview(stored);
    if (!merged.ok())
        return fail(merged.error()) + 1;

    bool differs = false;
    for (const config::Resource &resource : std::as_const(stored)) {
        const config::ObjectMeta &meta = resource.meta();
        const QString path = u"%1/%2/%3"_s.arg(config::pluralName(resource.kind()), meta.ns, meta.name);
        const QString diff = config::unifiedDiff(yamlLines(live.find(resource.kind(), meta.ns, meta.name)),
                                                 yamlLines(merged->find(resource.kind(), meta.ns, meta.name)),
                                                 u"live/"_s + path, u"merged/"_s + path);
        differs = differs || !diff.isEmpty();
        std::fputs(diff.toUtf8().constData(), stdout);
    }
    return differs ? 1 : 0;
}

} // namespace quarry::cli
