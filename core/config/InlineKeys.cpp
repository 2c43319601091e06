// Inline API keys moved to the keychain and back (for an explicit export).
#include "config/InlineKeys.h"

using namespace Qt::StringLiterals;

namespace quarry::config {
namespace {

// Every auth block of the backend with the group provider it belongs to (empty: spec.policies).
template <typename Backend, typename Visit> void forEachAuth(Backend &backend, Visit visit)
{
    visit(backend.policies.auth, QString());
    for (auto &group : backend.groups) {
        for (auto &provider : group.providers) {
            if (provider.policies)
                visit(provider.policies->auth, provider.name);
        }
    }
}

QStringList splitNames(const QString &annotation)
{
    QStringList names = annotation.split(u',', Qt::SkipEmptyParts);
    for (QString &name : names)
        name = name.trimmed();
    names.removeAll(QString());
    return names;
}

} // namespace

QString InlineKeys::secretNameFor(const QString &backendName, const QString &provider)
{
    if (provider.isEmpty())
        return backendName + u"-inline-key"_s;
    return backendName + u'-' + provider + u"-inline-key"_s;
}

bool InlineKeys::hasInlineKey(const AiBackend &backend)
{
    bool found = false;
    forEachAuth(backend, [&found](const BackendAuth &auth, const QString &) {
        found = found || auth.kind == BackendAuth::Kind::InlineKey;
    });
    return found;
}

QList<InlineKeys::Moved> InlineKeys::extract(AiBackend &backend)
{
    QList<Moved> moved;
    QStringList names = secretNames(backend);
    forEachAuth(backend, [&](BackendAuth &auth, const QString &provider) {
        if (auth.kind != BackendAuth::Kind::InlineKey)
            return;
        const QString name = secretNameFor(backend.meta.name, provider);
        moved.append({backend.meta.name, backend.meta.ns, name, auth.inlineKey});
        auth = {BackendAuth::Kind::SecretRef, name, {}};
        if (!names.contains(name))
            names.append(name);
    });
    if (!moved.isEmpty())
        backend.meta.annotations.insert(kAnnotation, names.join(u','));
    return moved;
}

QList<InlineKeys::Moved> InlineKeys::extract(QList<Resource> &resources)
{
    QList<Moved> moved;
    for (Resource &resource : resources) {
        if (auto *backend = std::get_if<AiBackend>(&resource.object))
            moved += extract(*backend);
    }
    return moved;
}

// Only names of the generated shape count: a hand-edited annotation must not make `delete backend`
// remove (or an export inline) a Secret the user made.
QStringList InlineKeys::secretNames(const AiBackend &backend)
{
    QStringList names = splitNames(backend.meta.annotations.value(kAnnotation));
    names.removeIf([&backend](const QString &name) {
        return !name.startsWith(backend.meta.name + u'-') || !name.endsWith(u"-inline-key"_s);
    });
    return names;
}

void InlineKeys::restore(AiBackend &backend, const QHash<QString, QString> &values)
{
    const QStringList generated = secretNames(backend);
    QStringList left = generated;
    forEachAuth(backend, [&](BackendAuth &auth, const QString &) {
        if (auth.kind != BackendAuth::Kind::SecretRef || !generated.contains(auth.secretName) ||
            !values.contains(auth.secretName))
            return;
        left.removeAll(auth.secretName);
        auth = {BackendAuth::Kind::InlineKey, {}, values.value(auth.secretName)};
    });
    if (left.isEmpty())
        backend.meta.annotations.remove(kAnnotation);
    else
        backend.meta.annotations.insert(kAnnotation, left.join(u','));
}

} // namespace quarry::config
