// Maps Beast's response parser callbacks onto a status, a header list and a drained body buffer.
#include "gateway/upstream/ResponseParser.h"

#include <boost/beast/http/error.hpp>

#include <limits>

namespace quarry::gateway::upstream {

namespace {

// Bedrock's headers are a few hundred bytes; anything near this is not Bedrock.
constexpr std::uint32_t MaxHeaderBytes = 64 * 1024;

} // namespace

ResponseParser::ResponseParser(bool headRequest, qsizetype maxBufferedBody)
    : m_maxBufferedBody(maxBufferedBody)
{
    header_limit(MaxHeaderBytes);
    // The bound is on what waits undrained (append), not on a stream's whole length.
    body_limit(std::numeric_limits<std::uint64_t>::max());
    skip(headRequest);
    eager(true);
    m_headers.reserve(16);
}

QByteArray ResponseParser::header(QByteArrayView name) const
{
    for (const auto &[key, value] : m_headers) {
        if (name.compare(key, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

void ResponseParser::on_request_impl(boost::beast::http::verb, string_view, string_view, int, error_code &ec)
{
    ec = boost::beast::http::error::bad_method; // never called for a response parser
}

void ResponseParser::on_response_impl(int status, string_view, int version, error_code &ec)
{
    if (version != 10 && version != 11) {
        ec = boost::beast::http::error::bad_version;
        return;
    }
    m_status = status;
}

void ResponseParser::on_field_impl(boost::beast::http::field, string_view name, string_view value,
                                   error_code &)
{
    if (is_header_done())
        return; // a trailer: nothing here reads them
    m_headers.append(
        {QByteArray(name.data(), qsizetype(name.size())), QByteArray(value.data(), qsizetype(value.size()))});
}

std::size_t ResponseParser::on_body_impl(string_view body, error_code &ec)
{
    return append(body, ec);
}

std::size_t ResponseParser::on_chunk_body_impl(std::uint64_t, string_view body, error_code &ec)
{
    return append(body, ec);
}

std::size_t ResponseParser::append(string_view body, error_code &ec)
{
    if (m_body.size() + qsizetype(body.size()) > m_maxBufferedBody) {
        m_bodyTooLarge = true;
        ec = boost::beast::http::error::body_limit;
        return 0;
    }
    m_body.append(body.data(), qsizetype(body.size()));
    return body.size();
}

} // namespace quarry::gateway::upstream
