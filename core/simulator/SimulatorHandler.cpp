// Routes the simulator's requests (runtime and control plane), authenticates them, and answers.
#include "simulator/SimulatorHandler.h"

#include "aws/SigV4Verifier.h"
#include "simulator/SimulatorConverseRequest.h"
#include "simulator/SimulatorEmbeddings.h"
#include "simulator/SimulatorFaults.h"
#include "simulator/SimulatorNative.h"
#include "simulator/SimulatorNativeModels.h"
#include "simulator/SimulatorNativeRequest.h"
#include "simulator/SimulatorNativeStream.h"
#include "simulator/SimulatorReply.h"
#include "simulator/SimulatorResponses.h"
#include "simulator/SimulatorStream.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QRegularExpression>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace quarry::bedrock {

namespace {

enum class Operation {
    Converse,
    ConverseStream,
    Invoke,
    InvokeStream,
    CountTokens,
    FoundationModels,  // control plane
    FoundationModel,   // control plane
    InferenceProfiles, // control plane
    InferenceProfile,  // control plane
};

struct Route
{
    Operation operation = Operation::Converse;
    QString modelId; // percent-decoded; the model or profile id for the control plane's gets
};

std::optional<Route> parseRoute(const http::HttpRequest &request)
{
    if (request.method == "GET") {
        if (request.path == "/foundation-models")
            return Route{Operation::FoundationModels, {}};
        if (request.path == "/inference-profiles")
            return Route{Operation::InferenceProfiles, {}};
        static const QRegularExpression item(u"^/(foundation-models|inference-profiles)/([^/]+)$"_s);
        const QRegularExpressionMatch found = item.match(QString::fromLatin1(request.path));
        if (!found.hasMatch())
            return std::nullopt;
        const QString id = QString::fromUtf8(QByteArray::fromPercentEncoding(found.captured(2).toLatin1()));
        return Route{found.captured(1) == u"foundation-models"_s ? Operation::FoundationModel
                                                                 : Operation::InferenceProfile,
                     id};
    }
    static const QRegularExpression pattern(
        u"^/model/([^/]+)/(converse|converse-stream|invoke|invoke-with-response-stream|count-tokens)$"_s);
    const QRegularExpressionMatch match = pattern.match(QString::fromLatin1(request.path));
    if (request.method != "POST" || !match.hasMatch())
        return std::nullopt;
    static const QHash<QString, Operation> operations{
        {u"converse"_s, Operation::Converse},
        {u"converse-stream"_s, Operation::ConverseStream},
        {u"invoke"_s, Operation::Invoke},
        {u"invoke-with-response-stream"_s, Operation::InvokeStream},
        {u"count-tokens"_s, Operation::CountTokens}};
    const QString modelId = QString::fromUtf8(QByteArray::fromPercentEncoding(match.captured(1).toLatin1()));
    return Route{operations.value(match.captured(2)), modelId};
}

// Throttling and access-denied markers answer every model operation the same way.
bool sendFault(const SimulatorFaults &faults, http::ResponseWriter &writer)
{
    if (faults.throttle) {
        SimulatorResponses::sendError(writer, 429, u"ThrottlingException"_s,
                                      u"Too many requests, please wait before trying again."_s);
        return true;
    }
    if (faults.accessDenied) {
        SimulatorResponses::sendError(writer, 403, u"AccessDeniedException"_s,
                                      u"You don't have access to the model with the specified model ID."_s);
        return true;
    }
    return false;
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
        return SimulatorResponses::sendError(
            *writer, 404, u"UnknownOperationException"_s,
            u"The simulator serves POST /model/{modelId}/{converse,converse-stream,invoke,"
            "invoke-with-response-stream,count-tokens}, GET /foundation-models[/{id}] and GET /inference-profiles[/{id}]."_s);
    if (!authenticate(request, *writer))
        return;
    switch (route->operation) {
    case Operation::FoundationModels:
        return SimulatorNativeModels::sendFoundationModels(*writer);
    case Operation::FoundationModel:
        return SimulatorNativeModels::sendFoundationModel(*writer, route->modelId);
    case Operation::InferenceProfiles:
        return SimulatorNativeModels::sendInferenceProfiles(*writer, request.query);
    case Operation::InferenceProfile:
        return SimulatorNativeModels::sendInferenceProfile(*writer, route->modelId);
    case Operation::Invoke:
    case Operation::InvokeStream:
        return invoke(route->modelId, route->operation == Operation::InvokeStream, request.body, writer,
                      started);
    case Operation::CountTokens:
        return countTokens(route->modelId, request.body, *writer);
    case Operation::Converse:
    case Operation::ConverseStream:
        break;
    }
    converse(route->modelId, route->operation == Operation::ConverseStream, request.body, writer, started);
}

void SimulatorHandler::converse(const QString &modelId, bool stream, const QByteArray &body,
                                const std::shared_ptr<http::ResponseWriter> &writer,
                                const QElapsedTimer &started)
{
    const Result<SimulatorConverseRequest> parsed = SimulatorConverseRequest::parse(body);
    if (!parsed.ok())
        return SimulatorResponses::sendError(*writer, 400, u"ValidationException"_s, parsed.error());

    const SimulatorFaults faults = SimulatorFaults::fromText(parsed->lastUserText());
    if (sendFault(faults, *writer))
        return;

    const SimulatorReply reply = SimulatorReply::compose(modelId, *parsed, faults);
    if (faults.slowMs <= 0)
        return answer(writer, reply, stream, faults.streamException, started);
    QTimer::singleShot(faults.slowMs, this, [this, writer, reply, stream, faults, started] {
        answer(writer, reply, stream, faults.streamException, started);
    });
}

void SimulatorHandler::invoke(const QString &modelId, bool stream, const QByteArray &body,
                              const std::shared_ptr<http::ResponseWriter> &writer,
                              const QElapsedTimer &started)
{
    if (const auto embeddings = EmbeddingModel::forModel(modelId)) {
        if (stream)
            return SimulatorResponses::sendError(*writer, 400, u"ValidationException"_s,
                                                 u"The provided model doesn't support streaming."_s);
        return SimulatorEmbeddings::send(*writer, *embeddings, body);
    }
    const Result<SimulatorNativeRequest> parsed = SimulatorNativeRequest::parseInvoke(body);
    if (!parsed.ok())
        return SimulatorResponses::sendError(*writer, 400, u"ValidationException"_s, parsed.error());
    const SimulatorFaults faults = SimulatorFaults::fromText(parsed->conversation.lastUserText());
    if (sendFault(faults, *writer))
        return;
    const SimulatorReply reply = SimulatorReply::compose(modelId, parsed->conversation, faults);
    const SimulatorNativeRequest request = *parsed;
    const auto send = [this, writer, modelId, request, reply, stream, faults, started] {
        if (!writer->isClientConnected())
            return;
        if (!stream)
            return SimulatorNative::sendInvoke(*writer, modelId, request, reply, started.elapsed());
        auto *streamer = new SimulatorNativeStream(
            writer, SimulatorNative::streamHeaders(),
            SimulatorNative::streamFrames(modelId, request, reply, started.elapsed()), faults.streamException,
            this);
        streamer->start();
    };
    if (faults.slowMs <= 0)
        return send();
    QTimer::singleShot(faults.slowMs, this, send);
}

void SimulatorHandler::countTokens(const QString &modelId, const QByteArray &body,
                                   http::ResponseWriter &writer)
{
    if (!SimulatorNative::supportsCountTokens(modelId))
        return SimulatorResponses::sendError(writer, 400, u"ValidationException"_s,
                                             u"The provided model doesn't support counting tokens."_s);
    const Result<SimulatorNativeRequest> parsed = SimulatorNativeRequest::parseCountTokens(body);
    if (!parsed.ok())
        return SimulatorResponses::sendError(writer, 400, u"ValidationException"_s, parsed.error());
    SimulatorNative::sendCountTokens(writer, parsed->inputWords());
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
    if (verdict.ok && m_identities->isExpired(verdict.accessKeyId)) {
        SimulatorResponses::sendError(writer, 403, u"ExpiredTokenException"_s,
                                      u"The security token included in the request is expired"_s);
        return false;
    }
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
