// `quarry keys create|list|revoke`: the client keys local tools present to the gateway.
#include "CliSupport.h"
#include "Commands.h"

#include "secrets/BlockingSecrets.h"
#include "secrets/ClientKeyCatalog.h"
#include "secrets/KeychainSecretStore.h"

#include <cstdio>

using namespace Qt::StringLiterals;

namespace quarry::cli {

namespace {

constexpr auto Usage = R"(Usage:
  quarry keys create NAME   make a client key, store it in the OS keychain and print it (once)
  quarry keys list          names, creation times and fingerprints (never the keys)
  quarry keys revoke NAME   the gateway stops accepting it at once
)";

int create(const QString &configDir, const QString &name)
{
    if (!secrets::clientkey::isValidName(name))
        return fail(u"invalid key name \"%1\": use 1-63 letters, digits, '.', '_' or '-'"_s.arg(name));
    secrets::ClientKeyCatalog catalog(configDir);
    const auto existing = catalog.load();
    if (!existing)
        return fail(existing.error());
    for (const auto &entry : existing.value()) {
        if (entry.name == name)
            return fail(u"a client key named \"%1\" exists; revoke it first"_s.arg(name));
    }
    const QByteArray key = secrets::clientkey::generate();
    secrets::KeychainSecretStore keychain;
    const secrets::SecretId id = secrets::ClientKeyCatalog::keychainId(name);
    if (const Status written = secrets::writeBlocking(keychain, id, {{u"key"_s, key}}); !written.ok())
        return fail(u"the key could not be stored in the OS keychain: "_s + written.error());
    if (const Status added = catalog.add(secrets::ClientKeyCatalog::entryFor(name, key)); !added.ok()) {
        secrets::removeBlocking(keychain, id); // no key the gateway would not accept is left behind
        return fail(added.error());
    }
    // The key on stdout alone (scripts capture it); the advice on stderr.
    std::fprintf(stdout, "%s\n", key.constData());
    std::fflush(stdout);
    warn(u"Client key \"%1\" created (%2). It is shown only this once; it is also kept in the OS keychain. "
         "Clients send it as 'Authorization: Bearer KEY' (OpenAI SDKs; AWS SDKs via "
         "AWS_BEARER_TOKEN_BEDROCK) or 'x-api-key: KEY' (Anthropic SDK, Claude Code)."_s.arg(
             name, secrets::clientkey::fingerprintOf(key)));
    return 0;
}

int list(const QString &configDir)
{
    const auto loaded = secrets::ClientKeyCatalog(configDir).load();
    if (!loaded)
        return fail(loaded.error());
    if (loaded.value().isEmpty()) {
        warn(u"No client keys: local clients need none while the gateway listens on loopback."_s);
        return 0;
    }
    say(u"%1 %2 %3"_s.arg(u"NAME"_s, -24).arg(u"CREATED"_s, -22).arg(u"FINGERPRINT"_s));
    for (const auto &entry : loaded.value())
        say(u"%1 %2 %3"_s.arg(entry.name, -24)
                .arg(entry.created.toUTC().toString(Qt::ISODate), -22)
                .arg(entry.fingerprint));
    return 0;
}

int revoke(const QString &configDir, const QString &name)
{
    // The list first: the gateway stops accepting the key as soon as it is gone from there.
    const auto removed = secrets::ClientKeyCatalog(configDir).remove(name);
    if (!removed)
        return fail(removed.error());
    secrets::KeychainSecretStore keychain;
    const Status forgotten = secrets::removeBlocking(keychain, secrets::ClientKeyCatalog::keychainId(name));
    if (!removed.value())
        return fail(u"no client key named \"%1\""_s.arg(name));
    if (!forgotten.ok())
        warn(u"revoked, but its OS keychain item could not be removed: "_s + forgotten.error());
    warn(u"Client key \"%1\" revoked."_s.arg(name));
    return 0;
}

} // namespace

int runKeys(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        u"Client keys: when one exists (and always on a non-loopback listener), every request must "
        "present one."_s);
    addConfigOption(parser);
    parser.addPositionalArgument(u"action"_s, u"create, list or revoke"_s);
    parser.addPositionalArgument(u"name"_s, u"the key's name (create, revoke)"_s);
    QString error;
    if (!parseSubcommand(parser, arguments, &error))
        return fail(error);
    const QStringList positional = parser.positionalArguments();
    const QString action = positional.value(0);
    const QString dir = configDir(parser);
    if (action == u"list"_s && positional.size() == 1)
        return list(dir);
    if (action == u"create"_s && positional.size() == 2)
        return create(dir, positional.at(1));
    if (action == u"revoke"_s && positional.size() == 2)
        return revoke(dir, positional.at(1));
    std::fputs(Usage, stderr);
    return fail(action.isEmpty() ? u"quarry keys takes create, list or revoke"_s
                                 : u"unexpected arguments for quarry keys: %1"_s.arg(positional.join(u' ')));
}

} // namespace quarry::cli
