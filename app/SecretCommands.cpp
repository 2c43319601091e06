// `quarry create secret generic` and the secret half of apply/get/delete.
#include "SecretCommands.h"
#include "CliSupport.h"
#include "Commands.h"

#include "config/YamlCodec.h"
#include "secrets/BlockingSecrets.h"
#include "secrets/KeychainSecretStore.h"
#include "secrets/SecretCatalog.h"

#include <QJsonArray>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace quarry::cli {

namespace {

// Where quarry keeps a secret, said in the object so `get -o yaml` is honest about it and a
// re-apply of that output stores nothing (it has no data).
QJsonObject secretObject(const secrets::SecretCatalog::Entry &entry)
{
    const QJsonObject annotations{{u"quarry.dev/keys"_s, entry.keys.join(u',')},
                                  {u"quarry.dev/stored-in"_s, u"os-keychain"_s}};
    const QJsonObject metadata{{u"name"_s, entry.id.name}, {u"namespace"_s, entry.id.ns},
                               {u"annotations"_s, annotations}};
    return {{u"apiVersion"_s, u"v1"_s}, {u"kind"_s, u"Secret"_s}, {u"metadata"_s, metadata}, {u"type"_s, u"Opaque"_s}};
}

} // namespace

Status storeSecret(const QString &configDir, const config::SecretManifest &secret)
{
    if (secret.data.isEmpty())
        return Status::failure(u"Secret \"%1\" has no data or stringData; nothing to store"_s.arg(secret.meta.name));
    const secrets::SecretId id{secret.meta.ns, secret.meta.name};
    secrets::KeychainSecretStore keychain;
    if (const Status written = secrets::writeBlocking(keychain, id, secret.data); !written.ok())
        return written;
    secrets::SecretCatalog catalog(configDir);
    return catalog.put({id, secret.data.keys(), QDateTime::currentDateTimeUtc()});
}

// The keychain item goes even when the catalogue lost its entry (or never got it: a crash between
// the keychain write and the catalogue update), so no credential is left behind unseen.
Result<QString> deleteSecret(const QString &configDir, const QString &ns, const QString &name)
{
    const secrets::SecretId id{ns, name};
    secrets::SecretCatalog catalog(configDir);
    const bool listed = catalog.find(id).has_value();
    secrets::KeychainSecretStore keychain;
    const secrets::ReadResult stored = secrets::readBlocking(keychain, id);
    if (stored.outcome == secrets::ReadResult::Outcome::Failed)
        return Result<QString>::failure(stored.error);
    const bool inKeychain = stored.outcome == secrets::ReadResult::Outcome::Found;
    if (!listed && !inKeychain)
        return Result<QString>::failure(u"secrets \"%1\" not found in namespace %2"_s.arg(name, ns));
    if (inKeychain) {
        if (const Status removed = secrets::removeBlocking(keychain, id); !removed.ok())
            return Result<QString>::failure(removed.error());
    }
    if (listed) {
        if (const Status removed = catalog.remove(id); !removed.ok())
            return Result<QString>::failure(removed.error());
    }
    if (!listed)
        return u"removed from the OS keychain; it was not in the list of secrets"_s;
    if (!inKeychain)
        return u"removed from the list of secrets; the OS keychain had no item for it"_s;
    return u"removed from the OS keychain"_s;
}

void listSecrets(const QString &configDir, const QString &ns, const QString &name, QList<QJsonObject> &objects,
                 ResourceTable &table)
{
    for (const auto &entry : secrets::SecretCatalog(configDir).entries()) {
        if ((!ns.isEmpty() && entry.id.ns != ns) || (!name.isEmpty() && entry.id.name != name))
            continue;
        objects.append(secretObject(entry));
        table.addRow({entry.id.ns, entry.id.name, entry.keys.join(u','), entry.updated.toString(Qt::ISODate)});
    }
}

int runCreate(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Create a secret in the OS keychain, as `kubectl create secret generic`."_s);
    addConfigOption(parser);
    addNamespaceOption(parser);
    parser.addOption({u"from-literal"_s, u"A key and literal value, KEY=VALUE (repeatable)."_s, u"key=value"_s});
    parser.addOption({u"type"_s, u"The secret's type (default Opaque)."_s, u"type"_s});
    parser.addOption({u"dry-run"_s, u"client: print the Secret instead of storing it (with -o yaml)."_s, u"mode"_s});
    parser.addOption({{u"o"_s, u"output"_s}, u"With --dry-run=client: yaml or json."_s, u"format"_s});
    parser.addPositionalArgument(u"secret"_s, u"The word secret."_s);
    parser.addPositionalArgument(u"generic"_s, u"The word generic."_s);
    parser.addPositionalArgument(u"name"_s, u"The secret's name."_s);
    QString error;
    if (!parseSubcommand(parser, arguments, &error))
        return fail(error);
    const QStringList positional = parser.positionalArguments();
    if (positional.size() != 3 || positional.at(0) != u"secret"_s || positional.at(1) != u"generic"_s)
        return fail(u"usage: quarry create secret generic NAME --from-literal=KEY=VALUE ... [-n NAMESPACE]"_s);

    config::SecretManifest secret;
    secret.meta.name = positional.at(2);
    secret.meta.ns = namespaceOf(parser);
    secret.type = parser.isSet(u"type"_s) ? parser.value(u"type"_s) : u"Opaque"_s;
    for (const QString &literal : parser.values(u"from-literal"_s)) {
        const qsizetype equals = literal.indexOf(u'=');
        if (equals <= 0)
            return fail(u"--from-literal takes KEY=VALUE; got an argument without a key"_s);
        secret.data.insert(literal.left(equals), literal.mid(equals + 1).toUtf8());
    }
    if (secret.data.isEmpty())
        return fail(u"a secret needs at least one --from-literal=KEY=VALUE"_s);

    if (parser.isSet(u"dry-run"_s)) {
        // As kubectl: the manifest goes to stdout (usually piped to `quarry apply -f -`).
        QJsonObject data;
        for (auto it = secret.data.cbegin(); it != secret.data.cend(); ++it)
            data.insert(it.key(), QString::fromLatin1(it.value().toBase64()));
        const QJsonObject object{{u"apiVersion"_s, u"v1"_s},
                                 {u"kind"_s, u"Secret"_s},
                                 {u"metadata"_s, QJsonObject{{u"name"_s, secret.meta.name}, {u"namespace"_s, secret.meta.ns}}},
                                 {u"type"_s, secret.type},
                                 {u"data"_s, data}};
        std::fputs(config::YamlCodec::write({object}).constData(), stdout);
        return 0;
    }
    const QString dir = configDir(parser);
    if (const Status stored = storeSecret(dir, secret); !stored.ok())
        return fail(stored.error());
    say(u"secret/"_s + secret.meta.name + u" created (in the OS keychain)"_s);
    return 0;
}

} // namespace quarry::cli
