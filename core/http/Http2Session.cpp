// nghttp2 server session over the connection's socket: frames in, requests to the handler,
// responses out as nghttp2 frames them.
#include "http/Http2Session.h"

#include "http/ConnectionWriter.h"
#include "http/Http2Stream.h"
#include "http/RequestGuard.h"
#include "http/RequestHandler.h"
#include "http/ResponseEncoder.h"
#include "http/ServerOptions.h"

#include <QAbstractSocket>

#include <nghttp2/nghttp2.h>

using namespace Qt::StringLiterals;

namespace quarry::http {

namespace {

// Body bytes a client may send ahead of our reading them: per stream, and for the connection.
constexpr std::int32_t StreamWindowBytes = 1 << 20;
constexpr std::int32_t ConnectionWindowBytes = 16 << 20;
// nghttp2's output waits in the session, not in the socket, beyond this.
constexpr qint64 SocketHighWaterBytes = 256 * 1024;

QByteArrayView view(const std::uint8_t *data, std::size_t length)
{
    return {reinterpret_cast<const char *>(data), qsizetype(length)};
}

// Besides what HTTP/1.1 answers drop too (ResponseEncoder::isHandlerHeader), the connection-specific
// fields RFC 9113 §8.2.2 forbids in HTTP/2.
bool forbiddenInHttp2(QByteArrayView lowercaseName)
{
    return lowercaseName == "proxy-connection" || lowercaseName == "te";
}

} // namespace

// The C callbacks nghttp2 calls, inside nghttp2_session_mem_recv/mem_send.
struct Http2Session::Callbacks
{
    static Http2Session &self(void *user) { return *static_cast<Http2Session *>(user); }

    static int beginHeaders(nghttp2_session *, const nghttp2_frame *frame, void *user)
    {
        if (frame->hd.type == NGHTTP2_HEADERS && frame->headers.cat == NGHTTP2_HCAT_REQUEST)
            self(user).openStream(frame->hd.stream_id);
        return 0;
    }

    static int header(nghttp2_session *, const nghttp2_frame *frame, const std::uint8_t *name,
                      std::size_t nameLength, const std::uint8_t *value, std::size_t valueLength,
                      std::uint8_t, void *user)
    {
        Http2Session &session = self(user);
        Http2Stream *stream = session.stream(frame->hd.stream_id);
        if (!stream || stream->refused)
            return 0;
        if (frame->headers.cat != NGHTTP2_HCAT_REQUEST) {
            // A trailer section: it arrives after the guard ran, so its fields (a Host, an
            // x-amzn-bedrock-*) are dropped, as HTTP/1.1's are; only its size is bounded.
            stream->trailerBytes += qsizetype(nameLength + valueLength + 32);
            if (stream->trailerBytes > session.m_options.maxHeaderBytes) {
                session.refuse(*stream, 431,
                               ResponseEncoder::errorBody(
                                   u"The request's trailer section is larger than the %1-byte limit"_s.arg(
                                       session.m_options.maxHeaderBytes),
                                   "invalid_request_error"_L1, "request_header_fields_too_large"_L1));
            }
            return 0;
        }
        stream->headerBytes += qsizetype(nameLength + valueLength + 32);
        if (stream->headerBytes > session.m_options.maxHeaderBytes) {
            session.refuse(
                *stream, 431,
                ResponseEncoder::errorBody(u"The request headers are larger than the %1-byte limit"_s.arg(
                                               session.m_options.maxHeaderBytes),
                                           "invalid_request_error"_L1, "request_header_fields_too_large"_L1));
            return 0;
        }
        const QByteArrayView key = view(name, nameLength);
        const QByteArray text = view(value, valueLength).toByteArray();
        HttpRequest &request = stream->request;
        if (key == ":method") {
            request.method = text;
        } else if (key == ":path") {
            request.target = text;
            const qsizetype question = text.indexOf('?');
            request.path = question < 0 ? text : text.first(question);
            request.query = question < 0 ? QByteArray() : text.sliced(question + 1);
        } else if (key == ":authority") {
            request.headers.prepend({"host"_ba, text}); // Host, as HTTP/1.1 handlers read it
        } else if (!key.startsWith(':')) {
            request.headers.append({key.toByteArray(), text});
        }
        return 0;
    }

    static int dataChunk(nghttp2_session *, std::uint8_t, std::int32_t id, const std::uint8_t *data,
                         std::size_t length, void *user)
    {
        Http2Session &session = self(user);
        Http2Stream *stream = session.stream(id);
        if (!stream || stream->refused)
            return 0;
        if (stream->request.body.size() + qsizetype(length) > session.m_options.maxBodyBytes) {
            session.refuse(
                *stream, 413,
                ResponseEncoder::errorBody(u"The request body is larger than the %1-byte limit"_s.arg(
                                               session.m_options.maxBodyBytes),
                                           "invalid_request_error"_L1, "payload_too_large"_L1));
            return 0;
        }
        stream->request.body.append(view(data, length));
        session.m_lastProgress = std::chrono::steady_clock::now();
        return 0;
    }

    static int frameReceived(nghttp2_session *, const nghttp2_frame *frame, void *user)
    {
        Http2Session &session = self(user);
        if (frame->hd.type == NGHTTP2_HEADERS && frame->headers.cat == NGHTTP2_HCAT_REQUEST) {
            if (Http2Stream *stream = session.stream(frame->hd.stream_id); stream && !stream->headersDone) {
                stream->headersDone = true;
                stream->headersEnded = std::chrono::steady_clock::now();
                session.m_lastProgress = stream->headersEnded;
            }
        }
        const bool endsRequest = (frame->hd.type == NGHTTP2_HEADERS || frame->hd.type == NGHTTP2_DATA) &&
                                 (frame->hd.flags & NGHTTP2_FLAG_END_STREAM);
        if (!endsRequest)
            return 0;
        if (Http2Stream *stream = session.stream(frame->hd.stream_id); stream && !stream->refused)
            session.dispatch(*stream);
        return 0;
    }

    // RFC 9113 §8.1: a server that answered before the request ended may ask the client to stop
    // sending with RST_STREAM(NO_ERROR) once its response is complete. Done for refused streams,
    // so a client cannot keep one open (and the connection busy) by never ending it.
    static int frameSent(nghttp2_session *session, const nghttp2_frame *frame, void *user)
    {
        Http2Session &self_ = self(user);
        if ((frame->hd.type == NGHTTP2_HEADERS || frame->hd.type == NGHTTP2_DATA))
            self_.m_lastProgress = std::chrono::steady_clock::now();
        if ((frame->hd.type != NGHTTP2_HEADERS && frame->hd.type != NGHTTP2_DATA) ||
            !(frame->hd.flags & NGHTTP2_FLAG_END_STREAM))
            return 0;
        if (Http2Stream *stream = self_.stream(frame->hd.stream_id); stream && stream->refused)
            nghttp2_submit_rst_stream(session, NGHTTP2_FLAG_NONE, frame->hd.stream_id, NGHTTP2_NO_ERROR);
        return 0;
    }

    static int streamClosed(nghttp2_session *, std::int32_t id, std::uint32_t, void *user)
    {
        Http2Session &session = self(user);
        if (Http2Stream *stream = session.stream(id)) {
            stream->closed();
            session.m_closedStreams.push_back(id);
        }
        return 0;
    }

    static ssize_t readBody(nghttp2_session *, std::int32_t, std::uint8_t *buffer, std::size_t length,
                            std::uint32_t *flags, nghttp2_data_source *source, void *)
    {
        return static_cast<Http2Stream *>(source->ptr)->readBody(buffer, length, flags);
    }
};

Http2Session::Http2Session(QAbstractSocket &socket, const ServerOptions &options, RequestHandler *handler,
                           std::shared_ptr<const RequestGuard> guard)
    : m_socket(socket), m_options(options), m_handler(handler), m_guard(std::move(guard)),
      m_peer(Peer::of(socket))
{
    nghttp2_session_callbacks *callbacks = nullptr;
    nghttp2_session_callbacks_new(&callbacks);
    nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks, &Callbacks::beginHeaders);
    nghttp2_session_callbacks_set_on_header_callback(callbacks, &Callbacks::header);
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks, &Callbacks::dataChunk);
    nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, &Callbacks::frameReceived);
    nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, &Callbacks::streamClosed);
    nghttp2_session_callbacks_set_on_frame_send_callback(callbacks, &Callbacks::frameSent);
    nghttp2_session_server_new(&m_session, callbacks, this);
    nghttp2_session_callbacks_del(callbacks);
}

Http2Session::~Http2Session()
{
    connectionGone();
    nghttp2_session_del(m_session);
}

bool Http2Session::start()
{
    const nghttp2_settings_entry settings[] = {
        {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, MaxConcurrentStreams},
        {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, std::uint32_t(StreamWindowBytes)},
        {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, std::uint32_t(m_options.maxHeaderBytes)},
    };
    if (nghttp2_submit_settings(m_session, NGHTTP2_FLAG_NONE, settings, std::size(settings)) != 0 ||
        nghttp2_session_set_local_window_size(m_session, NGHTTP2_FLAG_NONE, 0, ConnectionWindowBytes) != 0)
        return false;
    scheduleFlush();
    return true;
}

bool Http2Session::startUpgraded(HttpRequest upgraded, const QByteArray &http2Settings)
{
    const QByteArray payload =
        QByteArray::fromBase64(http2Settings, QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    const bool head = upgraded.method == "HEAD";
    if (nghttp2_session_upgrade2(m_session, reinterpret_cast<const std::uint8_t *>(payload.constData()),
                                 std::size_t(payload.size()), head ? 1 : 0, nullptr) != 0 ||
        !start())
        return false;
    Http2Stream &stream = openStream(1); // the upgraded request is stream 1 (RFC 7540 §3.2)
    stream.request = std::move(upgraded);
    dispatch(stream);
    return true;
}

bool Http2Session::receive(QByteArrayView bytes)
{
    const ssize_t used = nghttp2_session_mem_recv(
        m_session, reinterpret_cast<const std::uint8_t *>(bytes.data()), std::size_t(bytes.size()));
    eraseClosedStreams();
    if (used < 0)
        m_failed = true;
    scheduleFlush();
    return used >= 0;
}

void Http2Session::goAway()
{
    nghttp2_session_terminate_session(m_session, NGHTTP2_NO_ERROR);
    scheduleFlush();
}

bool Http2Session::finished() const
{
    return m_failed || (!nghttp2_session_want_read(m_session) && !nghttp2_session_want_write(m_session));
}

void Http2Session::socketDrained()
{
    flush();
    for (const auto &[id, stream] : m_streams)
        stream->bytesWritten();
}

void Http2Session::connectionGone()
{
    // A writer's client-gone callback may try to answer: its writer is detached by then, so
    // nothing re-enters the session while this loops.
    for (const auto &[id, stream] : m_streams)
        stream->closed();
    m_streams.clear();
    m_closedStreams.clear();
}

void Http2Session::submitHeaders(Http2Stream &stream, int status, const HttpHeaders &headers,
                                 qint64 contentLength, bool withBody)
{
    QByteArrayList storage; // nghttp2 copies the fields; these must live until it has
    std::vector<nghttp2_nv> fields;
    fields.reserve(std::size_t(headers.size()) + 2);
    const auto add = [&](QByteArray name, QByteArray value) {
        storage.append(std::move(name));
        storage.append(std::move(value));
        const QByteArray &n = storage.at(storage.size() - 2);
        const QByteArray &v = storage.last();
        fields.push_back({reinterpret_cast<std::uint8_t *>(const_cast<char *>(n.constData())),
                          reinterpret_cast<std::uint8_t *>(const_cast<char *>(v.constData())),
                          std::size_t(n.size()), std::size_t(v.size()), NGHTTP2_NV_FLAG_NONE});
    };
    storage.reserve(2 * headers.size() + 4);
    add(":status"_ba, QByteArray::number(status));
    for (const HttpHeader &header : headers) {
        QByteArray name = header.name.toLower(); // HTTP/2 field names are lowercase
        if (ResponseEncoder::isHandlerHeader(header) && !forbiddenInHttp2(name))
            add(std::move(name), header.value);
    }
    for (const HttpHeader &header : std::as_const(stream.cors))
        add(header.name.toLower(), header.value);
    if (contentLength >= 0)
        add("content-length"_ba, QByteArray::number(contentLength));
    nghttp2_data_provider body{};
    body.source.ptr = &stream;
    body.read_callback = &Callbacks::readBody;
    nghttp2_submit_response(m_session, stream.id(), fields.data(), fields.size(), withBody ? &body : nullptr);
    scheduleFlush();
}

void Http2Session::resumeBody(std::int32_t streamId)
{
    nghttp2_session_resume_data(m_session, streamId);
    scheduleFlush();
}

void Http2Session::resetStream(std::int32_t streamId)
{
    nghttp2_submit_rst_stream(m_session, NGHTTP2_FLAG_NONE, streamId, NGHTTP2_INTERNAL_ERROR);
    scheduleFlush();
}

qint64 Http2Session::socketPending() const
{
    return m_socket.bytesToWrite();
}

Http2Stream *Http2Session::stream(std::int32_t id) const
{
    const auto found = m_streams.find(id);
    return found == m_streams.end() ? nullptr : found->second.get();
}

Http2Stream &Http2Session::openStream(std::int32_t id)
{
    auto &slot = m_streams[id];
    slot = std::make_unique<Http2Stream>(*this, id);
    return *slot;
}

// The same checks as HTTP/1.1 (RequestGuard), then the handler, with a writer bound to the stream.
void Http2Session::dispatch(Http2Stream &stream)
{
    HttpRequest request = std::move(stream.request);
    request.peer = m_peer;
    stream.head = request.method == "HEAD";
    int hostFields = 0;
    for (const HttpHeader &header : std::as_const(request.headers))
        hostFields += header.name.compare("host", Qt::CaseInsensitive) == 0 ? 1 : 0;
    stream.dispatched = true;
    if (const auto rejection = m_guard->check(request, 20, hostFields))
        return refuse(stream, rejection->status, rejection->body, rejection->headers);
    stream.cors = m_guard->corsHeaders(request);
    auto writer = std::make_shared<ConnectionWriter>(&stream);
    stream.attach(writer.get());
    if (!m_handler) {
        return writer->respond(500, {{"content-type"_ba, "application/json"_ba}},
                               ResponseEncoder::errorBody(u"No request handler is installed"_s,
                                                          "api_error"_L1, "no_handler"_L1));
    }
    m_handler->handle(std::move(request), std::move(writer));
}

void Http2Session::refuse(Http2Stream &stream, int status, const QByteArray &jsonBody,
                          const HttpHeaders &extra)
{
    stream.refused = true;
    stream.request = {};
    const HttpHeaders json{{"content-type"_ba, "application/json"_ba}};
    stream.sendResponse(status, jsonBody.isEmpty() ? extra : json + extra, jsonBody);
}

void Http2Session::sweep(std::chrono::steady_clock::time_point now)
{
    using std::chrono::milliseconds;
    const milliseconds headerLimit(m_options.headerTimeoutMs);
    std::vector<Http2Stream *> slow;
    for (const auto &[id, stream] : m_streams) {
        if (stream->refused || stream->dispatched)
            continue;
        if (!stream->headersDone) {
            if (now - stream->opened > headerLimit)
                slow.push_back(stream.get());
            continue;
        }
        const qint64 elapsedMs = std::chrono::duration_cast<milliseconds>(now - stream->headersEnded).count();
        if (elapsedMs > m_options.bodyGraceMs &&
            stream->request.body.size() * 1000 < m_options.minBodyBytesPerSecond * elapsedMs)
            slow.push_back(stream.get());
    }
    // refuse() submits frames, which never erases streams here: the loop above saw them all.
    for (Http2Stream *stream : slow) {
        const QString message =
            stream->headersDone
                ? u"The request body arrived slower than %1 bytes per second; send it faster or in one piece"_s
                      .arg(m_options.minBodyBytesPerSecond)
                : u"The request's headers did not arrive within %1 ms"_s.arg(m_options.headerTimeoutMs);
        refuse(*stream, 408,
               ResponseEncoder::errorBody(message, "invalid_request_error"_L1, "request_timeout"_L1));
        // An unfinished header block holds the whole connection (RFC 9113 §6.10: nothing may
        // come between its frames), so it closes once the 408 and the reset are out.
        if (!stream->headersDone) {
            // Not goAway(): terminating would drop the 408 still queued behind the GOAWAY.
            nghttp2_submit_goaway(m_session, NGHTTP2_FLAG_NONE,
                                  nghttp2_session_get_last_proc_stream_id(m_session), NGHTTP2_NO_ERROR,
                                  nullptr, 0);
        }
    }
}

// Writes are batched: everything submitted while handling one event leaves in one pass.
void Http2Session::scheduleFlush()
{
    if (std::exchange(m_flushQueued, true))
        return;
    QMetaObject::invokeMethod(
        this,
        [this] {
            m_flushQueued = false;
            flush();
        },
        Qt::QueuedConnection);
}

void Http2Session::flush()
{
    while (m_socket.bytesToWrite() < SocketHighWaterBytes) {
        const std::uint8_t *data = nullptr;
        const ssize_t length = nghttp2_session_mem_send(m_session, &data);
        if (length < 0)
            m_failed = true;
        if (length <= 0)
            break;
        m_socket.write(reinterpret_cast<const char *>(data), length);
    }
    eraseClosedStreams();
    if (finished())
        emit ended();
}

void Http2Session::eraseClosedStreams()
{
    for (const std::int32_t id : std::exchange(m_closedStreams, {}))
        m_streams.erase(id);
}

} // namespace quarry::http
