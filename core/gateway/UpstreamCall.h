// One HTTP call to Bedrock for a client request: signing, timeouts, transport errors, event-stream
// decoding, backpressure toward a slow client, and the captures the GUI shows. The client-facing
// protocol (OpenAI, Anthropic, native passthrough) is the owner's business.
#pragma once

#include "gateway/BackendTarget.h"
#include "gateway/upstream/UpstreamLink.h"
#include "providers/bedrock/converse/ApiError.h"
#include "providers/bedrock/eventstream/EventStreamDecoder.h"
#include "telemetry/TrafficRecord.h"

#include <QElapsedTimer>
#include <QNetworkProxy>
#include <QStringList>
#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

namespace quarry::gateway::upstream {
class ResponseParser;
}


namespace quarry::gateway {

struct UpstreamRequest
{
    QByteArray encodedPath; // "/model/<percent-encoded id>/converse"
    QByteArray body;
    QByteArray accept = "application/json";
    QByteArray method = "POST"; // GET for the control plane's lists
    QByteArray contentType = "application/json"; // POST only (passthrough forwards the client's)
    QList<QPair<QByteArray, QByteArray>> extraHeaders; // signed too (e.g. passthrough's content type)
    bool streaming = false; // the answer is an event stream read as it arrives
    // Somewhere other than the backend's runtime endpoint (the control plane), same credentials.
    std::optional<BedrockEndpoint> endpoint;
};

class UpstreamCall : public QObject, private upstream::UpstreamLink::Listener
{
    Q_OBJECT
public:
    struct Handlers
    {
        // Bedrock's status line and headers arrived (any status), before streamStarted / finished.
        std::function<void(const QList<QPair<QByteArray, QByteArray>> &headers)> responseHead;
        // A streamed 200 answer: called once before the first message.
        std::function<void()> streamStarted;
        // Each decoded event-stream message, in order.
        std::function<void(const bedrock::EventStreamMessage &)> streamMessage;
        // The messages decoded from one read of the answer were all given to streamMessage: what
        // they produced can go to the client together. A read holds one message when Bedrock is
        // slow and many when it is fast.
        std::function<void()> streamMessagesRead;
        // Raw bytes of a streamed 200 answer, before decoding (passthrough forwards them as they are).
        std::function<void(const QByteArray &)> streamBytes;
        // The end: an HTTP status with the whole body (non-stream, or any error status), or a
        // transport/decoding error. For streams the body is empty.
        std::function<void(int status, const QByteArray &body, const QByteArray &errorType,
                           const std::optional<bedrock::ApiError> &failure)>
            finished;
    };

    // `captures` (in the traffic record) receive the request and response as sent and received.
    // `target` and the captures are the caller's and must outlive the call's work (an exchange
    // owns all three; the destructor reads none of them). The target is not copied: a copy takes a
    // reference on each of its strings.
    // The call speaks HTTP/1.1 itself on a kept-alive link of this thread's ConnectionPool.
    UpstreamCall(const BackendTarget &target, telemetry::CapturedMessage *requestCapture,
                 telemetry::CapturedMessage *responseCapture, QObject *parent);
    ~UpstreamCall() override;

    void start(const UpstreamRequest &request, Handlers handlers);
    void abort();
    // Backpressure: while paused, nothing is read from Bedrock (the socket's buffer fills and TCP
    // flow control holds Bedrock back).
    void setPaused(bool paused);
    bool started() const { return m_started; }
    // Bedrock's response headers, once they have arrived (before streamStarted / finished).
    const QList<QPair<QByteArray, QByteArray>> &responseHeaders() const { return m_responseHeaders; }

private:
    void failBeforeSending(const bedrock::ApiError &error);
    void connectSocket();
    void linkReady(upstream::UpstreamLink *) override { send(); }
    void linkReadable(upstream::UpstreamLink *) override { onReadyRead(); }
    void linkClosed(upstream::UpstreamLink *link) override;
    void send();
    void onReadyRead();
    void onSocketGone();
    void atEndOfConnection();
    void onHead();
    void onComplete();
    void readStream();
    void fail(const bedrock::ApiError &error);
    void checkSilence();
    void finishTransport(const std::optional<bedrock::ApiError> &error);
    void releaseSocket(bool reusable);
    bedrock::ApiError unreachable(const QString &why) const;
    bedrock::ApiError timedOut() const;
    // Where the request goes: the one it names, else the target's.
    const BedrockEndpoint &endpoint() const
    {
        return m_requestEndpoint ? *m_requestEndpoint : m_target.endpoint;
    }

    const BackendTarget &m_target;
    std::optional<BedrockEndpoint> m_requestEndpoint; // UpstreamRequest::endpoint, when it names one
    QList<QPair<QByteArray, QByteArray>> m_responseHeaders;
    telemetry::CapturedMessage *m_requestCapture;
    telemetry::CapturedMessage *m_responseCapture;
    Handlers m_handlers;
    QByteArray m_requestBytes; // as sent, kept to send again once on a fresh socket
    bool m_headRequest = false;
    bool m_streaming = false;
    bool m_started = false;
    bool m_paused = false;
    bool m_streamStarted = false;
    bool m_done = false;
    bool m_aborted = false;
    bool m_headSeen = false;
    bool m_reused = false;      // the link was kept alive from an earlier call
    bool m_retried = false;     // sent again once after a kept-alive link turned out closed
    bool m_received = false;    // any byte of the answer arrived
    bool m_socketGone = false;  // closed or failed; its buffer may still hold the answer's end
    upstream::UpstreamLink *m_link = nullptr; // leased from the pool; a child of this call
    QNetworkProxy m_proxy;                    // what the link goes through, for error messages
    QStringList m_tlsErrors;             // why the TLS handshake failed, for error messages
    QByteArray m_input;                  // received, not yet parsed
    std::unique_ptr<upstream::ResponseParser> m_parser;
    QTimer m_silence;             // one single-shot timer, re-armed only when it fires
    QElapsedTimer m_lastActivity; // when a byte last went out or came in
    bedrock::EventStreamDecoder m_decoder;
};

} // namespace quarry::gateway
