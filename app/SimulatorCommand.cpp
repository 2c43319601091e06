// `quarry simulator`: the built-in Bedrock simulator on its own, for tests and benchmarks.
#include "CliSupport.h"
#include "Commands.h"

#include "simulator/BedrockSimulator.h"

using namespace Qt::StringLiterals;

namespace quarry::cli {

int runSimulator(QCoreApplication &app, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Run the Bedrock simulator alone (for tests and benchmarks)."_s);
    parser.addOption({u"listen"_s, u"Address to listen on (default 127.0.0.1:0, any free port)."_s, u"host:port"_s});
    parser.addOption({u"identity"_s, u"An access key the simulator accepts, ACCESS_KEY_ID:SECRET (repeatable)."_s,
                      u"id:secret"_s});
    parser.addOption({u"api-key"_s, u"A Bedrock API key the simulator accepts (repeatable)."_s, u"key"_s});
    parser.addOption({u"expired-identity"_s,
                      u"An access key whose signatures are refused as expired (repeatable)."_s, u"id"_s});
    QString error;
    if (!parseSubcommand(parser, arguments, &error))
        return fail(error);
    const auto listen = parseListenAddress(parser.isSet(u"listen"_s) ? parser.value(u"listen"_s) : u"127.0.0.1:0"_s);
    if (!listen)
        return fail(u"--listen takes HOST:PORT"_s);

    bedrock::BedrockSimulator simulator;
    for (const QString &identity : parser.values(u"identity"_s)) {
        const qsizetype colon = identity.indexOf(u':');
        if (colon <= 0)
            return fail(u"--identity takes ACCESS_KEY_ID:SECRET"_s);
        simulator.addIdentity(identity.left(colon), identity.mid(colon + 1));
    }
    for (const QString &key : parser.values(u"api-key"_s))
        simulator.addApiKey(key);
    for (const QString &id : parser.values(u"expired-identity"_s))
        simulator.expireIdentity(id);
    if (const Status listening = simulator.listen(listen->address, listen->port); !listening.ok())
        return fail(listening.error());
    // Tests read the port from this line.
    say(u"simulator listening on %1:%2"_s.arg(listen->address.toString()).arg(simulator.port()));
    return app.exec();
}

} // namespace quarry::cli
