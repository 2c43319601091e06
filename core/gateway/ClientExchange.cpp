// The client's side of one request through the gateway.
#include "gateway/ClientExchange.h"

#include "providers/bedrock/converse/BedrockErrorMapper.h"

#include <QPointer>

using namespace Qt::StringLiterals;

namespace quarry::gateway {

ClientExchange::ClientExchange(Context context)
    : m_request(std::move(context.request)), m_writer(std::move(context.writer)),
      m_snapshot(std::move(context.snapshot)), m_target(*context.target), m_record(std::move(context.record)),
      m_finished(std::move(context.finished)), m_reaper(std::move(context.reaper))
{
    m_clock.start();
    m_responseHeaders.append({"x-quarry-request-id", QByteArray::number(m_record.id)});
    QPointer<ClientExchange> self(this);
    m_writer->setClientGoneCallback([self] {
        if (self)
            self->onClientGone();
    });
}

void ClientExchange::callBedrock(const UpstreamRequest &request, UpstreamCall::Handlers handlers)
{
    callBedrock([request](const BackendTarget &) { return request; }, std::move(handlers));
}

void ClientExchange::callBedrock(RequestBuilder build, UpstreamCall::Handlers handlers)
{
    m_build = std::move(build);
    m_handlers = std::move(handlers);
    startAttempt(m_target);
}

namespace {

// Temporary credentials can expire between the refresh and the call (or a clock is off). Only
// Bedrock's exception type says so; a 403 whose message merely mentions it does not.
bool credentialsExpired(int status, const QByteArray &errorType, const QByteArray &body)
{
    return status == 403 && bedrock::mapBedrockError(status, errorType, body).code == u"expired_token"_s;
}

bool worthAnotherProvider(int status, const std::optional<bedrock::ApiError> &failure)
{
    if (failure)
        return failure->code == u"upstream_unreachable"_s || failure->code == u"upstream_timeout"_s;
    return status == 429 || status >= 500;
}

} // namespace

void ClientExchange::startAttempt(const BackendTarget &provider)
{
    m_current = &provider;
    m_record.provider = provider.provider;
    m_record.region = provider.endpoint.region;
    // Says which endpoint answered, so nobody mistakes a simulated answer for a credential check.
    m_responseHeaders.removeIf([](const http::HttpHeader &header) {
        return header.name == "x-quarry-upstream" || header.name == "x-quarry-credentials";
    });
    m_responseHeaders.append(http::HttpHeader{"x-quarry-upstream", provider.simulated ? "simulator" : "bedrock"});
    // A simulated answer also says whose key signed the call (where it came from, never a value): the
    // simulator accepts any key it was handed, so only this tells a stored secret from its own key.
    m_record.simulatorCredentials = provider.simulated ? provider.credentials.source : QString();
    if (provider.simulated)
        m_responseHeaders.append(http::HttpHeader{"x-quarry-credentials", provider.credentials.source.toUtf8()});
    UpstreamCall::Handlers handlers = m_handlers;
    handlers.streamStarted = [this] {
        m_upstreamStreaming = true;
        if (m_handlers.streamStarted)
            m_handlers.streamStarted();
    };
    handlers.finished = [this](int status, const QByteArray &body, const QByteArray &errorType,
                               const std::optional<bedrock::ApiError> &failure) {
        if (credentialsExpired(status, errorType, body) && m_snapshot->refreshCredentials &&
            !m_refreshedCredentials)
            return renewCredentialsAndRetry(status, body, errorType);
        if (!m_upstreamStreaming && worthAnotherProvider(status, failure)) {
            while (m_nextFallback < m_target.fallbacks.size()) {
                const BackendTarget &next = m_target.fallbacks.at(m_nextFallback++);
                if (next.credentials.usable())
                    return startAttempt(next);
            }
        }
        m_handlers.finished(status, body, errorType, failure);
    };
    if (m_call)
        m_call->deleteLater();
    m_call = new UpstreamCall(provider, &m_record.upstreamRequest, &m_record.upstreamResponse, this);
    m_call->start(m_build(provider), std::move(handlers));
}

// One renewal and one retry, as the AWS SDKs do, with the credentials of the provider that was
// refused (failover may have moved on from the backend's first). The wait has the backend's
// request timeout as its deadline.
void ClientExchange::renewCredentialsAndRetry(int status, const QByteArray &body, const QByteArray &errorType)
{
    m_refreshedCredentials = true;
    const auto giveUp = [this, status, body, errorType](const std::optional<bedrock::ApiError> &failure) {
        m_renewalDeadline->stop();
        m_handlers.finished(status, body, errorType, failure);
    };
    const BackendTarget &refused = *m_current;
    const bedrock::ApiError timedOut{
        504, u"timeout_error"_s, u"credentials_renewal_timeout"_s,
        u"Bedrock called the credentials of backend %1 expired, and renewing them did not finish within %2 s."_s
            .arg(refused.name)
            .arg(refused.requestTimeoutMs / 1000)};
    m_renewalDeadline = new QTimer(this);
    m_renewalDeadline->setSingleShot(true);
    connect(m_renewalDeadline, &QTimer::timeout, this, [giveUp, timedOut] { giveUp(timedOut); });
    m_renewalDeadline->start(refused.requestTimeoutMs);
    QPointer<ClientExchange> self(this);
    const auto renewed = [self, &refused, giveUp](BedrockCredentials fresh) {
        if (!self || !self->m_renewalDeadline->isActive())
            return; // gone, or the deadline already answered
        if (!fresh.usable())
            return giveUp(std::nullopt); // the client gets Bedrock's own ExpiredTokenException
        self->m_renewalDeadline->stop();
        self->m_renewed = refused;
        self->m_renewed->credentials = std::move(fresh);
        self->startAttempt(*self->m_renewed);
    };
    m_snapshot->refreshCredentials(refused.name, refused.provider, this, renewed);
}

void ClientExchange::addResponseHeader(const QByteArray &name, const QByteArray &value)
{
    m_responseHeaders.append({name, value});
}

void ClientExchange::respondWithBedrockError(int status, const QByteArray &body, const QByteArray &errorType)
{
    const auto error = bedrock::mapBedrockError(status, errorType, body);
    record().error = error.message;
    respond(error.status, "application/json", error.toOpenAiJson());
}

void ClientExchange::respond(int status, const QByteArray &contentType, const QByteArray &body)
{
    m_record.status = status;
    m_record.clientResponse.startLine = u"HTTP/1.1 %1"_s.arg(status);
    // A whole answer's cost is known before it is sent (a stream's only at its end): `quarry chat`
    // and scripts read it here.
    if (const auto cost = answerCostUsd())
        addResponseHeader("x-quarry-cost-usd", QByteArray::number(*cost, 'f', 8));
    const http::HttpHeaders headers = http::HttpHeaders{{"Content-Type", contentType}} + m_responseHeaders;
    // The capture shows what the client got, x-quarry-* included (request id, upstream, ...).
    m_record.clientResponse.setHeaders(telemetry::HeaderBlock(headers));
    m_record.clientResponse.setBody(body);
    m_writer->respond(status, headers, body);
    complete();
}

void ClientExchange::fail(const bedrock::ApiError &error)
{
    m_record.error = error.message;
    respond(error.status, "application/json", errorBody(error));
}

void ClientExchange::startClientStream(const QByteArray &contentType)
{
    if (m_clientStreamStarted)
        return;
    m_clientStreamStarted = true;
    m_record.status = 200;
    m_record.clientResponse.startLine = u"HTTP/1.1 200"_s;
    const http::HttpHeaders headers =
        http::HttpHeaders{{"Content-Type", contentType}, {"Cache-Control", "no-cache"}, {"X-Accel-Buffering", "no"}}
        + m_responseHeaders;
    m_record.clientResponse.setHeaders(telemetry::HeaderBlock(headers));
    m_writer->startStream(200, headers);
}

// Streams go out as they come; when the client falls behind, Bedrock is paused until it drains.
void ClientExchange::writeClientStream(const QByteArray &bytes)
{
    if (bytes.isEmpty())
        return;
    m_record.clientResponse.appendBody(bytes);
    m_writer->writeStreamData(bytes);
    if (m_call && m_writer->pendingBytes() > http::ResponseWriter::kHighWaterBytes) {
        m_call->setPaused(true);
        QPointer<ClientExchange> self(this);
        m_writer->setDrainedCallback([self] {
            if (self)
                self->onClientDrained();
        });
    }
}

void ClientExchange::onClientDrained()
{
    if (m_call)
        m_call->setPaused(false);
}

void ClientExchange::endClientStream()
{
    m_writer->endStream();
    complete();
}

std::optional<double> ClientExchange::answerCostUsd()
{
    if (!m_priced) {
        m_priced = true;
        // No usage, no bill: an answer that reported no tokens is left unpriced rather than "$0".
        m_record.costUsd = m_snapshot->prices && m_record.tokens.present
                               ? m_snapshot->prices->costOf(m_record.model, m_record.region, m_record.tokens)
                               : -1;
    }
    return m_record.costUsd >= 0 ? std::optional(m_record.costUsd) : std::nullopt;
}

void ClientExchange::markFirstToken()
{
    if (m_record.timeToFirstTokenMs < 0)
        m_record.timeToFirstTokenMs = m_clock.elapsed();
}

void ClientExchange::onClientGone()
{
    if (m_completed)
        return;
    m_record.status = 499; // nginx's "client closed request"
    m_record.error = u"the client disconnected"_s;
    if (m_call)
        m_call->abort();
    complete();
}

void ClientExchange::complete()
{
    if (m_completed)
        return;
    m_completed = true;
    m_record.latencyMs = m_clock.elapsed();
    answerCostUsd(); // answers that failed or were cut short are priced for what they used
    if (m_finished)
        m_finished(std::move(m_record)); // the exchange is done with it: no copy
    if (m_reaper)
        m_reaper->retire(this);
    else
        deleteLater();
}

} // namespace quarry::gateway
