// A plain main() for a fuzz harness: runs LLVMFuzzerTestOneInput once on every file given (or in
// every directory given), so the committed corpora are exercised by CTest without libFuzzer.
// A crash, or a sanitizer report in the ASan build, fails the test; so does finding no input,
// which would otherwise pass while testing nothing.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size);

namespace {

bool runFile(const std::filesystem::path &path)
{
    std::ifstream file(path, std::ios::binary);
    if (!file)
        return false;
    const std::vector<char> bytes{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t *>(bytes.data()), bytes.size());
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    int inputs = 0;
    for (int i = 1; i < argc; ++i) {
        const std::filesystem::path argument(argv[i]);
        if (std::filesystem::is_directory(argument)) {
            for (const auto &entry : std::filesystem::directory_iterator(argument)) {
                if (entry.is_regular_file() && runFile(entry.path()))
                    ++inputs;
            }
        } else if (runFile(argument)) {
            ++inputs;
        } else {
            std::fprintf(stderr, "cannot read %s\n", argv[i]);
            return 1;
        }
    }
    if (inputs == 0) {
        std::fprintf(stderr, "no inputs: give corpus files or directories\n");
        return 1;
    }
    std::printf("ran %d inputs\n", inputs);
    return 0;
}
