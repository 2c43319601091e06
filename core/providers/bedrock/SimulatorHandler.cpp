// Serves POST /model/{modelId}/converse and /converse-stream the way Bedrock Runtime does.
#include "providers/bedrock/SimulatorHandler.h"

#include "aws/SigV4Verifier.h"
#include "providers/bedrock/SimulatorConverseRequest.h"
#include "providers/bedrock/SimulatorFaults.h"
#include "providers/bedrock/SimulatorReply.h"
#include "providers/bedrock/SimulatorResponses.h"
#include "providers/bedrock/SimulatorStream.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QRegularExpression>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace quarry::bedrock {

namespace {

struct Route
{
    QString modelId; // percent-decoded
    bool stream = false;
};

std::optional<Route> parseRoute(const http::HttpRequest &request)
{
    static const QRegularExpression pattern(u"^/model/([^/]+)/(converse|converse-stream)$"_s);
    const QRegularExpressionMatch match = pattern.match(QString::fromLatin1(request.path));
    if (request.method != "POST" || !match.hasMatch())
        return std::nullopt;
    const QString modelId = QString::fromUtf8(QByteArray::fromPercentEncoding(match.captured(1).toLatin1()));
    return Route{modelId, match.captured(2) == u"converse-stream"};
}

aws::SignableRequest signable(const http::HttpRequest &request)
{
    aws::SignableRequest out{request.method, request.path, request.query, {}, request.body};
    for (const http::HttpHeader &header : request.headers)
        out.headers.append({header.name, header.value});
    return out;
}

} // namespace

SimulatorHandler::SimulatorHandler(std::shared_ptr<const SimulatorIdentities> identities)
    : m_identities(std::move(identities))
{}

void SimulatorHandler::handle(http::HttpRequest request, std::shared_ptr<http::ResponseWriter> writer)
{
    QElapsedTimer started;
    started.start();
    const std::optional<Route> route = parseRoute(request);
    if (!route)
        return SimulatorResponses::sendError(*writer, 404, u"UnknownOperationException"_s,
                                             u"The simulator serves POST /model/{modelId}/converse and "
                                             "/model/{modelId}/converse-stream only."_s);
    if (!authenticate(request, *writer))
        return;
    const Result<SimulatorConverseRequest> parsed = SimulatorConverseRequest::parse(request.body);
    if (!parsed.ok())
        return SimulatorResponses::sendError(*writer, 400, u"ValidationException"_s, parsed.error());

    const SimulatorFaults faults = SimulatorFaults::fromText(parsed->lastUserText());
    if (faults.throttle)
        return SimulatorResponses::sendError(*writer, 429, u"ThrottlingException"_s,
                                             u"Too many requests, please wait before trying again."_s);
    if (faults.accessDenied)
        return SimulatorResponses::sendError(
            *writer, 403, u"AccessDeniedException"_s,
            u"You don't have access to the model with the specified model ID."_s);

    const SimulatorReply reply = SimulatorReply::compose(route->modelId, *parsed, faults);
    if (faults.slowMs <= 0)
        return answer(writer, reply, route->stream, faults.streamException, started);
    QTimer::singleShot(faults.slowMs, this, [this, writer, reply, route, faults, started] {
        answer(writer, reply, route->stream, faults.streamException, started);
    });
}

bool SimulatorHandler::authenticate(const http::HttpRequest &request, http::ResponseWriter &writer) const
{
    const QByteArray authorization = request.header("authorization");
    if (authorization.startsWith("Bearer ")) {
        const QString key = QString::fromUtf8(authorization.mid(7).trimmed());
        if (m_identities->isKnownApiKey(key))
            return true;
        SimulatorResponses::sendError(writer, 403, u"AccessDeniedException"_s,
                                      u"Authentication failed: Please make sure your API Key is valid."_s);
        return false;
    }
    const auto identities = m_identities;
    const aws::SigV4Verifier::SecretLookup lookup = [identities](const QString &accessKeyId) {
        return identities->secretFor(accessKeyId);
    };
    const aws::VerifyResult verdict =
        aws::SigV4Verifier::verify(signable(request), lookup, QDateTime::currentDateTimeUtc(), u"bedrock"_s);
    if (verdict.ok)
        return true;
    SimulatorResponses::sendError(writer, verdict.httpStatus, verdict.errorType, verdict.message);
    return false;
}

void SimulatorHandler::answer(const std::shared_ptr<http::ResponseWriter> &writer,
                              const SimulatorReply &reply, bool stream, bool injectStreamException,
                              const QElapsedTimer &started)
{
    if (!writer->isClientConnected())
        return;
    if (!stream)
        return SimulatorResponses::sendConverse(*writer, reply, started.elapsed());
    auto *streamer = new SimulatorStream(writer, reply, injectStreamException, started, this);
    streamer->start();
}

} // namespace quarry::bedrock
