// HTTP/1.1 request glue as Connection drives it: Beast's parser (RequestParser) fed in pieces,
// RequestGuard once the header is complete, then the body (chunked or not), then the next
// pipelined request. The first input byte picks the piece size, so splits at every offset are
// tried; the rest is the bytes a client sends.
#include "http/RequestGuard.h"
#include "http/RequestParser.h"

#include <boost/beast/http/error.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>

using namespace quarry::http;
using namespace Qt::StringLiterals;

namespace {

// Small limits, so the fuzzer reaches them with small inputs.
constexpr qsizetype kMaxHeaderBytes = 2048;
constexpr qsizetype kMaxBodyBytes = 8192;
constexpr qsizetype kMaxChunkExtensionBytes = 64;
constexpr int kMaxPipelinedRequests = 4;

const RequestGuard &guard()
{
    static const RequestGuard instance(true, {"http://localhost:3000"_ba, "https://app.example"_ba}, 8080);
    return instance;
}

// One request from `bytes`, as Connection::parseBuffered does it; how many bytes it used, or
// nullopt when the request failed, was refused or needs more bytes (the connection then ends).
std::optional<std::size_t> parseOne(QByteArrayView bytes, std::size_t pieceSize)
{
    namespace bhttp = boost::beast::http;
    RequestParser parser(kMaxHeaderBytes, kMaxBodyBytes, kMaxChunkExtensionBytes);
    bool headerChecked = false;
    std::size_t offset = 0;
    std::size_t available = std::min(pieceSize, std::size_t(bytes.size()));
    while (true) {
        boost::beast::error_code ec;
        const std::size_t used =
            parser.put(boost::asio::const_buffer(bytes.data() + offset, available - offset), ec);
        offset += used;
        if (ec && ec != bhttp::error::need_more)
            return std::nullopt;
        if (!headerChecked && parser.is_header_done()) {
            headerChecked = true;
            const auto rejection =
                guard().check(parser.request(), parser.httpVersion(), parser.hostFieldCount());
            if (rejection)
                return std::nullopt;
            guard().corsHeaders(parser.request());
            if (!parser.is_done())
                parser.eager(true);
        }
        if (parser.is_done())
            break;
        if (ec || used == 0) { // needs more: the next piece arrives
            if (available == std::size_t(bytes.size()))
                return std::nullopt;
            available = std::min(available + pieceSize, std::size_t(bytes.size()));
        }
    }
    const HttpRequest &request = parser.request();
    // What handlers read first.
    request.header("content-type");
    request.header("authorization");
    if (request.body.size() > kMaxBodyBytes)
        __builtin_trap(); // the body limit must hold for chunked bodies too
    return offset;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size < 1)
        return 0;
    const std::size_t pieceSize = std::size_t(data[0] % 64) + 1;
    QByteArrayView rest(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    for (int i = 0; i < kMaxPipelinedRequests && !rest.isEmpty(); ++i) {
        const std::optional<std::size_t> used = parseOne(rest, pieceSize);
        if (!used || *used == 0)
            break;
        rest = rest.sliced(qsizetype(*used));
    }
    return 0;
}
