/* The C API symbol that durable-rules 2.0.28's extension needs and Python 3.13 removed.
 *
 * durable-rules' binding (`durable_rules_engine`) calls PyEval_CallObject(callback, args) in its store/queue/idle-state
 * callbacks. Python 3.9–3.12 define that name as a macro in <ceval.h>; 3.13 removed it, so the binding, compiled
 * against 3.13 headers, references an undefined function and fails to load ("undefined symbol: PyEval_CallObject").
 * This module defines that function; checker/engine.py loads it with RTLD_GLOBAL before the engine, so the dynamic
 * linker resolves the binding's reference here.
 *
 * Because the binding had no prototype for the function, the C compiler declared it implicitly as returning `int`:
 * the caller keeps only the low 32 bits of the returned pointer and sign-extends them (x86-64: `cltq`). A PyObject *
 * from the normal heap does not survive that. So the result handed back must live in the low 2 GiB of the address
 * space: an int result (all the binding's callbacks return an error code and it reads nothing else) is copied into a
 * small immortal int object in low memory, one per value, kept for the life of the process. A NULL result (the
 * callback raised) is returned as is; a non-int result is returned as NULL with no error set, which the binding treats
 * exactly as it treats any non-int (ERR_UNEXPECTED_TYPE). The binding decrefs what it gets: immortal objects ignore it.
 *
 * On Python 3.10–3.12 the module defines nothing: the binding links against PyEval_CallObjectWithKeywords, which those
 * versions still export.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#if PY_VERSION_HEX >= 0x030D0000 && !defined(Py_GIL_DISABLED)
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#define LOW_LIMIT ((uintptr_t)1 << 31) /* a pointer below this survives truncation to int and sign extension */
#define LOW_ARENA 65536
#define CACHE_SIZE 64

static unsigned char *arena = NULL;
static size_t arena_used = 0;
static struct { long value; PyObject *obj; } cache[CACHE_SIZE];
static int cached = 0;

static void *low_alloc(size_t size) {
    size = (size + 15) & ~(size_t)15;
    if (arena == NULL) {
        void *p = MAP_FAILED;
#ifdef MAP_32BIT
        p = mmap(NULL, LOW_ARENA, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
#endif
        for (uintptr_t hint = 0x10000000; p == MAP_FAILED && hint < LOW_LIMIT; hint += 0x10000000) {
            p = mmap((void *)hint, LOW_ARENA, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (p != MAP_FAILED && (uintptr_t)p + LOW_ARENA > LOW_LIMIT) {
                munmap(p, LOW_ARENA);
                p = MAP_FAILED;
            }
        }
        if (p == MAP_FAILED || (uintptr_t)p + LOW_ARENA > LOW_LIMIT) {
            return NULL;
        }
        arena = p;
    }
    if (arena_used + size > LOW_ARENA) {
        return NULL;
    }
    void *out = arena + arena_used;
    arena_used += size;
    return out;
}

/* An immortal copy of int `value` in low memory: the value's digits from a real int, the object header (reference
 * count and immortality bits) from the immortal small int 0. */
static PyObject *low_int(long value) {
    for (int i = 0; i < cached; i++) {
        if (cache[i].value == value) {
            return cache[i].obj;
        }
    }
    if (cached == CACHE_SIZE) {
        return NULL;
    }
    PyObject *real = PyLong_FromLong(value);
    PyObject *zero = PyLong_FromLong(0);
    PyObject *size_obj = real ? PyObject_CallMethod(real, "__sizeof__", NULL) : NULL;
    PyObject *result = NULL;
    if (real && zero && size_obj) {
        Py_ssize_t size = PyLong_AsSsize_t(size_obj);
        void *mem = size > 0 ? low_alloc((size_t)size) : NULL;
        if (mem != NULL) {
            memcpy(mem, real, (size_t)size);
            memcpy(mem, zero, offsetof(PyObject, ob_type));
            result = (PyObject *)mem;
            cache[cached].value = value;
            cache[cached].obj = result;
            cached++;
        }
    }
    PyErr_Clear();
    Py_XDECREF(size_obj);
    Py_XDECREF(zero);
    Py_XDECREF(real);
    return result;
}

PyMODINIT_FUNC PyInit__durable_compat(void);

__attribute__((visibility("default"))) PyObject *PyEval_CallObject(PyObject *callable, PyObject *args) {
    PyObject *result = PyObject_CallObject(callable, args);
    if (result == NULL) {
        return NULL;
    }
    PyObject *out = NULL;
    if (PyLong_Check(result)) {
        long value = PyLong_AsLong(result);
        if (value == -1 && PyErr_Occurred()) {
            PyErr_Clear();
        } else {
            out = low_int(value);
        }
    }
    Py_DECREF(result);
    return out;
}

#define PROVIDES 1
#else
#define PROVIDES 0
#endif

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_durable_compat",
    "PyEval_CallObject for durable-rules' binding on Python 3.13+ (see checker/engine.py)", -1, NULL,
};

PyMODINIT_FUNC PyInit__durable_compat(void) {
    PyObject *m = PyModule_Create(&module);
    if (m != NULL && PyModule_AddIntConstant(m, "PROVIDES_PYEVAL_CALLOBJECT", PROVIDES) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
