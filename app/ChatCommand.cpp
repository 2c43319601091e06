// `quarry chat [--route R] [--model ID] [--api openai|anthropic|responses] [--stream] [--system TEXT]
// PROMPT|-`: one question to the running gateway, through the route type the API names, as any
// tool would ask it. The answer goes to stdout (as it arrives with --stream), one line of numbers
// to stderr.
#include "CliSupport.h"
#include "Commands.h"

#include "client/ChatClient.h"
#include "config/ConfigStore.h"

#include <QFile>
#include <QTimer>
#include <QUrl>

#include <cstdio>

using namespace Qt::StringLiterals;

namespace quarry::cli {

namespace {

// A prompt read from stdin larger than this is refused rather than sent.
constexpr qint64 MaxPromptBytes = 8 * 1024 * 1024;
constexpr int DefaultTimeoutSeconds = 600;

// The client key, for a gateway that requires one (`quarry keys create`).
const char *const ClientKeyVariable = "QUARRY_API_KEY";

// http://HOST:PORT of the gateway the config describes; a wildcard bind is reached on loopback.
QUrl gatewayUrl(const QString &configDir, QString *error)
{
    config::ConfigStore store(configDir);
    if (const Status loaded = store.load(); !loaded.ok()) {
        *error = loaded.error();
        return {};
    }
    const config::ResourceSet resources = store.snapshot();
    QHostAddress address(QHostAddress::LocalHost);
    int port = 8080;
    if (!resources.gateways.isEmpty()) {
        address = QHostAddress(resources.gateways.first().bindAddress());
        port = resources.gateways.first().port();
    }
    if (address == QHostAddress::AnyIPv4 || address == QHostAddress::Any)
        address = QHostAddress::LocalHost;
    else if (address == QHostAddress::AnyIPv6)
        address = QHostAddress::LocalHostIPv6;
    QUrl url;
    url.setScheme(u"http"_s);
    url.setHost(address.toString());
    url.setPort(port);
    return url;
}

std::optional<QString> readPrompt(const QString &argument, QString *error)
{
    if (argument != u"-"_s)
        return argument;
    QFile input;
    if (!input.open(stdin, QIODevice::ReadOnly)) {
        *error = u"cannot read the prompt from standard input"_s;
        return std::nullopt;
    }
    const QByteArray bytes = input.read(MaxPromptBytes + 1);
    if (bytes.size() > MaxPromptBytes) {
        *error = u"the prompt on standard input is larger than %1 MB"_s.arg(MaxPromptBytes / (1024 * 1024));
        return std::nullopt;
    }
    QString prompt = QString::fromUtf8(bytes);
    // `echo question | quarry chat -` ends the prompt with the line feed echo adds: not part of it.
    if (prompt.endsWith(u'\n'))
        prompt.chop(prompt.endsWith(u"\r\n"_s) ? 2 : 1);
    return prompt;
}

// "tokens in 12, out 34 · cost $0.000120 · first token 85 ms · 61.2 tokens/s · 0.64 s"
QString statsLine(const client::ChatOutcome &outcome)
{
    QStringList parts;
    if (outcome.usage)
        parts << u"tokens in %1, out %2"_s.arg(outcome.usage->promptTotal()).arg(outcome.usage->output);
    else
        parts << u"no token counts in the answer"_s;
    if (outcome.costUsd)
        parts << u"cost $%1"_s.arg(*outcome.costUsd, 0, 'f', 6);
    if (outcome.timeToFirstTokenMs >= 0)
        parts << u"first token %1 ms"_s.arg(outcome.timeToFirstTokenMs);
    // Generation speed: after the first token when streamed (the wait before it is the prefill).
    const qint64 generatingMs =
        outcome.timeToFirstTokenMs >= 0 ? outcome.latencyMs - outcome.timeToFirstTokenMs : outcome.latencyMs;
    if (outcome.usage && outcome.usage->output > 0 && generatingMs > 0)
        parts << u"%1 tokens/s"_s.arg(double(outcome.usage->output) * 1000.0 / double(generatingMs), 0, 'f',
                                      1);
    parts << u"%1 s"_s.arg(double(outcome.latencyMs) / 1000.0, 0, 'f', 2);
    return parts.join(u" · "_s);
}

QString failureLine(const client::ChatOutcome &outcome, const QUrl &endpoint, int timeoutSeconds,
                    bool timedOut)
{
    const QString where = endpoint.toString(QUrl::RemoveUserInfo);
    if (timedOut)
        return u"no complete answer from %1 within %2 s (--timeout)"_s.arg(where).arg(timeoutSeconds);
    if (outcome.status == 0) {
        return u"cannot reach the gateway at %1 (%2): start it with `quarry serve` or open the Quarry "
               u"window, "
               "or point --url at the one that runs"_s.arg(where, outcome.error);
    }
    if (outcome.status == 401) {
        return u"the gateway requires a client key (HTTP 401: %1). Set %2 to a key (`quarry keys create "
               u"NAME` "
               "makes one)"_s.arg(outcome.error, QString::fromLatin1(ClientKeyVariable));
    }
    if (outcome.status >= 400)
        return u"HTTP %1 from %2: %3"_s.arg(outcome.status).arg(where, outcome.error);
    return u"the answer from %1 broke off: %2"_s.arg(where, outcome.error);
}

void writeOut(const QString &text)
{
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    std::fflush(stdout);
}

} // namespace

int runChat(QCoreApplication &app, const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Ask the running gateway one question, as a tool would."_s);
    addConfigOption(parser);
    parser.addOptions({
        {u"route"_s, u"The route's path prefix (default /bedrock, or the path of --url)."_s, u"path"_s,
         u"/bedrock"_s},
        {u"model"_s, u"Model ID (default: the backend's model)."_s, u"id"_s},
        {u"api"_s,
         u"Client API: openai (chat completions), anthropic (Messages) or responses (default openai)."_s,
         u"api"_s, u"openai"_s},
        {u"stream"_s, u"Stream the answer as it is generated."_s},
        {u"system"_s, u"A system prompt."_s, u"text"_s},
        {u"max-tokens"_s, u"Most tokens to generate."_s, u"n"_s},
        {u"url"_s,
         u"The gateway's address, e.g. http://127.0.0.1:9000, or a route's URL as tools are given it, "
         "e.g. http://127.0.0.1:9000/bedrock (default: the config's Gateway listener)."_s,
         u"url"_s},
        {u"timeout"_s, u"Give up after this many seconds (default %1)."_s.arg(DefaultTimeoutSeconds),
         u"seconds"_s, QString::number(DefaultTimeoutSeconds)},
    });
    parser.addPositionalArgument(u"prompt"_s, u"The question, or - to read it from standard input."_s,
                                 u"PROMPT|-"_s);
    QString error;
    if (!parseSubcommand(parser, arguments, &error))
        return fail(error);
    if (parser.positionalArguments().size() != 1)
        return fail(u"usage: quarry chat [--route /bedrock] [--model ID] [--api openai|anthropic|responses] "
                    "[--stream] [--system TEXT] PROMPT|-"_s);
    const auto api = client::chatApiNamed(parser.value(u"api"_s));
    if (!api)
        return fail(u"--api takes openai, anthropic or responses, not \"%1\""_s.arg(parser.value(u"api"_s)));
    bool numeric = false;
    const int timeoutSeconds = parser.value(u"timeout"_s).toInt(&numeric);
    if (!numeric || timeoutSeconds <= 0)
        return fail(u"--timeout takes a number of seconds above 0"_s);
    std::optional<int> maxTokens;
    if (parser.isSet(u"max-tokens"_s)) {
        maxTokens = parser.value(u"max-tokens"_s).toInt(&numeric);
        if (!numeric || *maxTokens <= 0)
            return fail(u"--max-tokens takes a number above 0"_s);
    }
    QUrl base = parser.isSet(u"url"_s) ? QUrl(parser.value(u"url"_s)) : gatewayUrl(configDir(parser), &error);
    if (!error.isEmpty())
        return fail(error);
    if (!base.isValid() || base.scheme() != u"http"_s || base.host().isEmpty())
        return fail(u"--url takes an address such as http://127.0.0.1:8080, not \"%1\""_s.arg(
            parser.value(u"url"_s)));
    const std::optional<QString> prompt = readPrompt(parser.positionalArguments().first(), &error);
    if (!prompt)
        return fail(error);
    if (prompt->trimmed().isEmpty())
        return fail(u"the prompt is empty"_s);

    client::ChatRequest request;
    QString route = parser.value(u"route"_s);
    // A URL with a path is a route's URL, the one tools are pointed at (http://localhost:8080/bedrock):
    // its path is the route. With --route as well the two join (a gateway behind a path prefix).
    if (!parser.isSet(u"route"_s) && base.path().size() > 1) {
        route = base.path();
        base.setPath({});
    }
    if (!route.startsWith(u'/'))
        route.prepend(u'/');
    while (route.size() > 1 && route.endsWith(u'/'))
        route.chop(1);
    base.setPath(base.path().chopped(base.path().endsWith(u'/') ? 1 : 0) + route);
    request.url = base;
    request.api = *api;
    request.model = parser.value(u"model"_s);
    request.system = parser.value(u"system"_s);
    request.messages = {{u"user"_s, *prompt, {}}};
    request.maxTokens = maxTokens;
    request.stream = parser.isSet(u"stream"_s);

    client::ChatClient chat;
    chat.setClientKey(qgetenv(ClientKeyVariable));
    bool printed = false;
    bool endsWithNewline = true;
    QObject::connect(&chat, &client::ChatClient::delta, &app, [&](const QString &text) {
        writeOut(text);
        printed = true;
        endsWithNewline = text.endsWith(u'\n');
    });
    std::optional<client::ChatOutcome> outcome;
    QObject::connect(&chat, &client::ChatClient::finished, &app, [&](const client::ChatOutcome &done) {
        outcome = done;
        app.quit();
    });
    bool timedOut = false;
    QTimer deadline;
    deadline.setSingleShot(true);
    QObject::connect(&deadline, &QTimer::timeout, &app, [&] {
        timedOut = true;
        chat.stop(); // finished() follows, with what arrived
    });
    deadline.start(timeoutSeconds * 1000);
    chat.send(request);
    if (!outcome)
        app.exec();

    if (printed && !endsWithNewline)
        writeOut(u"\n"_s);
    if (!outcome || timedOut || !outcome->ok())
        return fail(failureLine(outcome.value_or(client::ChatOutcome{}), request.endpoint(), timeoutSeconds,
                                timedOut));
    warn(statsLine(*outcome));
    return 0;
}

} // namespace quarry::cli
