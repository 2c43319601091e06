// Result<T>: a value or an error message. Core reports failures as values, never exceptions.
#pragma once

#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace quarry {

struct Error
{
    QString message;
};

template<typename T>
class Result
{
public:
    Result(T value) : m_state(std::move(value)) {}
    Result(Error error) : m_state(std::move(error)) {}

    static Result failure(QString message) { return Result(Error{std::move(message)}); }

    bool ok() const { return std::holds_alternative<T>(m_state); }
    explicit operator bool() const { return ok(); }

    const T &value() const & { return std::get<T>(m_state); }
    T &value() & { return std::get<T>(m_state); }
    // A temporary's value is moved out, never referenced: `for (x : *load())` and
    // `const T &v = load().value()` would otherwise refer into a Result destroyed at the end of the
    // statement (a range-for keeps only the range itself alive, not the temporary it came from).
    T value() && { return std::get<T>(std::move(m_state)); }
    const T &operator*() const & { return value(); }
    T &operator*() & { return value(); }
    T operator*() && { return std::move(*this).value(); }
    const T *operator->() const { return &value(); }
    T *operator->() { return &value(); }

    const QString &error() const { return std::get<Error>(m_state).message; }

private:
    std::variant<T, Error> m_state;
};

// For operations that produce nothing but can fail.
struct Ok
{};
using Status = Result<Ok>;

} // namespace quarry
