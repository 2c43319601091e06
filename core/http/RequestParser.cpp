// Maps Beast's parser callbacks onto HttpRequest fields, with the extra strictness Beast leaves to us.
#include "http/RequestParser.h"

#include <boost/beast/http/error.hpp>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace quarry::http {

namespace {

QByteArray toBytes(std::string_view text)
{
    return QByteArray(text.data(), qsizetype(text.size()));
}

// Common methods come from static storage, so they cost no allocation per request.
QByteArray methodBytes(boost::beast::http::verb method, std::string_view text)
{
    using boost::beast::http::verb;
    switch (method) {
    case verb::get:
        return "GET"_ba;
    case verb::post:
        return "POST"_ba;
    case verb::head:
        return "HEAD"_ba;
    case verb::options:
        return "OPTIONS"_ba;
    case verb::put:
        return "PUT"_ba;
    case verb::delete_:
        return "DELETE"_ba;
    default:
        return toBytes(text);
    }
}

bool equalsIgnoringCase(std::string_view a, QByteArrayView b)
{
    return QByteArrayView(a.data(), qsizetype(a.size())).compare(b, Qt::CaseInsensitive) == 0;
}

} // namespace

RequestParser::RequestParser(qsizetype maxHeaderBytes, qsizetype maxBodyBytes,
                             qsizetype maxChunkExtensionBytes)
    : m_maxBodyBytes(maxBodyBytes), m_maxHeaderBytes(maxHeaderBytes),
      m_maxChunkExtensionBytes(maxChunkExtensionBytes)
{
    header_limit(std::uint32_t(std::clamp<qsizetype>(maxHeaderBytes, 64, 0x7fffffff)));
    body_limit(std::uint64_t(std::max<qsizetype>(maxBodyBytes, 0)));
    // Stop after the header, so Host/Origin are checked (and 100 Continue sent) before any body.
    eager(false);
    m_request.headers.reserve(16);
}

void RequestParser::on_request_impl(verb method, string_view methodText, string_view target, int version,
                                    error_code &ec)
{
    if (version != 10 && version != 11) {
        ec = boost::beast::http::error::bad_version;
        return;
    }
    m_version = version;
    m_request.method = methodBytes(method, methodText);
    m_request.target = toBytes(target);
    const auto question = target.find('?');
    if (question == string_view::npos) {
        m_request.path = m_request.target;
    } else {
        m_request.path = toBytes(target.substr(0, question));
        m_request.query = toBytes(target.substr(question + 1));
    }
}

void RequestParser::on_response_impl(int, string_view, int, error_code &ec)
{
    ec = boost::beast::http::error::bad_method; // never called for a request parser
}

void RequestParser::on_field_impl(field name, string_view nameText, string_view value, error_code &ec)
{
    // A trailer section (after a chunked body) arrives after the guard ran: a trailer Host or
    // x-amzn-bedrock-* would otherwise reach the handler unchecked. Dropped, as most proxies do
    // (RFC 9110 §6.5.1 lets a recipient discard trailers), but still bounded.
    if (m_headerDone) {
        m_trailerBytes += qsizetype(nameText.size() + value.size() + 4);
        if (m_trailerBytes > m_maxHeaderBytes) {
            m_trailerTooLarge = true;
            ec = boost::beast::http::error::header_limit;
        }
        return;
    }
    if (name == field::host)
        ++m_hostCount;
    else if (name == field::transfer_encoding)
        m_sawTransferEncoding = true;
    else if (name == field::expect && equalsIgnoringCase(value, "100-continue"))
        m_expectContinue = true;
    m_request.headers.append(HttpHeader{toBytes(nameText), toBytes(value)});
}

void RequestParser::on_header_impl(error_code &ec)
{
    m_headerDone = true;
    // Beast accepts a Transfer-Encoding that does not end in "chunked" and then reads no body;
    // RFC 9112 says a server must reject that, and it is a request-smuggling vector.
    if (m_sawTransferEncoding && !chunked())
        ec = boost::beast::http::error::bad_transfer_encoding;
}

void RequestParser::on_body_init_impl(const boost::optional<std::uint64_t> &contentLength, error_code &)
{
    if (contentLength)
        m_request.body.reserve(qsizetype(std::min<std::uint64_t>(*contentLength, m_maxBodyBytes)));
}

std::size_t RequestParser::on_body_impl(string_view body, error_code &)
{
    m_request.body.append(body.data(), qsizetype(body.size()));
    return body.size();
}

void RequestParser::on_chunk_header_impl(std::uint64_t, string_view extensions, error_code &ec)
{
    // Beast reads a chunk extension without a limit; nothing here uses them.
    if (qsizetype(extensions.size()) > m_maxChunkExtensionBytes) {
        m_chunkExtensionTooLong = true;
        ec = boost::beast::http::error::bad_chunk_extension;
    }
}

std::size_t RequestParser::on_chunk_body_impl(std::uint64_t, string_view body, error_code &)
{
    m_request.body.append(body.data(), qsizetype(body.size()));
    return body.size();
}

void RequestParser::on_finish_impl(error_code &) {}

} // namespace quarry::http
